import { nativeAwsPorts } from './aws-native.js';
import { httpGet } from './http.js';
import { runNativeHook, type NativeHookResponse } from './native-checks.js';
import { readHookSettings } from './settings.js';

/**
 * A lifecycle hook of the ECS deployment controller: ECS invokes it with
 * the stage's payload and acts on what it returns (see native-checks.ts).
 * HOOK_LIFECYCLE_EVENT says which checks it makes, and so at which stages
 * it runs (NATIVE_HOOK_STAGES). Runs outside Lambda as well: call
 * `handler(event)` with the environment set.
 */

/** Time kept back from the Lambda's remaining time to answer. */
export const ANSWER_RESERVE_MS = 10_000;

/** The part of the Lambda context the hook uses. */
export interface HookContext {
  getRemainingTimeInMillis(): number;
}

export async function handler(event: unknown, context?: HookContext): Promise<NativeHookResponse> {
  let settings;
  try {
    settings = readHookSettings(process.env);
  } catch (error) {
    // Misconfigured: FAILED now rolls back; a throw would too, with no reason.
    console.log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    return { hookStatus: 'FAILED' };
  }
  const remaining = context ? context.getRemainingTimeInMillis() - ANSWER_RESERVE_MS : Infinity;
  const budgetMs = Math.max(1, Math.min(settings.checks.budgetMs, remaining));
  const { listenerCa } = settings;
  const { hookStatus, callBackDelay, hookDetails } = await runNativeHook(
    event,
    { ...settings.checks, budgetMs, deadlineMs: settings.deadlineMs },
    {
      ...nativeAwsPorts(settings.loadBalancerEniDescription),
      httpGet: (url, host, timeoutMs) =>
        httpGet(url, host, timeoutMs, listenerCa === undefined ? {} : { ca: listenerCa }),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
      log: (message) => console.log(message),
    },
  );
  return {
    hookStatus,
    ...(callBackDelay === undefined ? {} : { callBackDelay }),
    ...(hookDetails === undefined ? {} : { hookDetails }),
  };
}
