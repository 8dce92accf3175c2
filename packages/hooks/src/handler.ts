import { awsPorts, reportStatus } from './aws.js';
import { runChecks, type CheckResult, type HookEvent } from './checks.js';
import { httpGet } from './http.js';
import { readHookSettings } from './settings.js';

/**
 * A CodeDeploy ECS lifecycle hook (AfterAllowTestTraffic or
 * AfterAllowTraffic, by HOOK_LIFECYCLE_EVENT): settings from the
 * environment, the outcome reported to CodeDeploy and returned. Runs
 * outside Lambda as well: call `handler(event)` with the environment set.
 */

/** Time kept back from the Lambda's remaining time to report the outcome. */
export const REPORT_RESERVE_MS = 20_000;

/** The part of the Lambda context the hook uses. */
export interface HookContext {
  getRemainingTimeInMillis(): number;
}

export async function handler(event: HookEvent, context?: HookContext): Promise<CheckResult> {
  let settings;
  try {
    settings = readHookSettings(process.env);
  } catch (error) {
    // Misconfigured: still report, or CodeDeploy waits an hour for us.
    const message = error instanceof Error ? error.message : String(error);
    console.log(`failed: ${message}`);
    if (event.DeploymentId && event.LifecycleEventHookExecutionId) {
      await reportStatus(event.DeploymentId, event.LifecycleEventHookExecutionId, 'Failed');
    }
    return { status: 'Failed', messages: [`failed: ${message}`] };
  }
  const remaining = context ? context.getRemainingTimeInMillis() - REPORT_RESERVE_MS : Infinity;
  const budgetMs = Math.max(1, Math.min(settings.checks.budgetMs, remaining));
  const { listenerCa } = settings;
  return runChecks(
    event,
    { ...settings.checks, budgetMs },
    {
      ...awsPorts(settings.loadBalancerEniDescription),
      httpGet: (url, host, timeoutMs) =>
        httpGet(url, host, timeoutMs, listenerCa === undefined ? {} : { ca: listenerCa }),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
      log: (message) => console.log(message),
    },
  );
}
