import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';

/**
 * Seconds a deregistering target keeps receiving in-flight requests. ECS
 * deregisters a task and waits this long before SIGTERM; the app then
 * drains for `shutdown.drainWindowMs` and exits by `shutdown.forceExitMs`.
 * Matching the delay to `forceExitMs` covers the longest request the app
 * would still answer (ALB's default is 300 s).
 */
export function deregistrationDelaySeconds(definition: DeliveryDefinition): number {
  return Math.ceil(definition.shutdown.forceExitMs / 1000);
}
