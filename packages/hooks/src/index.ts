export {
  HOOK_API_CALLS,
  NATIVE_HOOK_API_CALLS,
  NATIVE_HOOK_STAGES,
  hookApiCalls,
  nativeHookApiCalls,
  type HookApiCall,
  type HookLifecycleEvent,
  type NativeHookApiCall,
  type NativeHookStage,
} from './api-calls.js';
export {
  HOOK_VARIABLES,
  hookEnvironment,
  hookEnvironmentPatch,
  readHookEnvironment,
  type HookEnvironmentValues,
  type HookVariable,
} from './environment.js';
export { HOOK_CHECKS } from './check-list.js';
export { LIVE_IMAGE_TAG, PREVIOUS_IMAGE_TAG } from './image-tags.js';
export { HookSettingsError, readHookSettings, type HookSettings } from './settings.js';
export type { CheckResult, HookEvent, HookStatus } from './checks.js';
export type { NativeHookEvent, NativeHookResponse, NativeHookStatus } from './native-checks.js';
