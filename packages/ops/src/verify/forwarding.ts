import type { Action } from '@aws-sdk/client-elastic-load-balancing-v2';

/**
 * The target groups a forward action sends traffic to (weight > 0). A
 * forward action names its groups in `ForwardConfig.TargetGroups` with
 * weights, or one group at the top level, or both (API reference, Action).
 * The LiveTrafficGuard and the LiveRuleGuard read them the same way
 * (infra/lambda/live-traffic/resolve.ts, `weightedTargets`).
 */
export function forwardedTo(action: Action | undefined): { arn: string; weight: number }[] {
  if (!action) return [];
  const weighted = (action.ForwardConfig?.TargetGroups ?? []).flatMap((g) =>
    g.TargetGroupArn ? [{ arn: g.TargetGroupArn, weight: g.Weight ?? 1 }] : [],
  );
  const all =
    action.TargetGroupArn && !weighted.some((g) => g.arn === action.TargetGroupArn)
      ? [{ arn: action.TargetGroupArn, weight: 1 }, ...weighted]
      : weighted;
  return all.filter((g) => g.weight > 0);
}

/** `targetgroup/<name>/<id>` → name. */
export const groupName = (arn: string) => arn.split('/').at(-2) ?? arn;
