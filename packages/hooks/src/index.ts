export {
  HOOK_API_CALLS,
  hookApiCalls,
  type HookApiCall,
  type HookLifecycleEvent,
} from './api-calls.js';
export {
  HOOK_VARIABLES,
  hookEnvironment,
  hookEnvironmentPatch,
  readHookEnvironment,
  type HookEnvironmentValues,
  type HookVariable,
} from './environment.js';
export { LIVE_IMAGE_TAG, PREVIOUS_IMAGE_TAG } from './image-tags.js';
export { HookSettingsError, readHookSettings, type HookSettings } from './settings.js';
export type { CheckResult, HookEvent, HookStatus } from './checks.js';
