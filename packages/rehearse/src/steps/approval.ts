import type { Gatekeeper, GateRecord } from '../gates.js';
import type { InfraSettings } from '../settings.js';

/** The approval as it was answered; `rejected` says why the release is not made. */
export interface ApprovalOutcome {
  readonly record: GateRecord;
  readonly rejected?: string;
}

/**
 * Step 3a, the manual approval (promotion.approval): after the build and
 * before this environment's release, as the pipeline has it after the
 * environment it is promoted from. Its timeout (scaled like every other
 * wait) rejects, as CodePipeline fails an approval that times out.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals.html
 * Resolves to nothing where the environment has no approval.
 */
export async function approvalGate(
  infra: Pick<InfraSettings, 'environment' | 'approval'>,
  scale: number,
  keeper: Gatekeeper,
): Promise<ApprovalOutcome | undefined> {
  const { approval } = infra;
  if (!approval) return undefined;
  const record = await keeper.wait({
    kind: 'approval',
    before: `the ${infra.environment} release (promoted from ${approval.from})`,
    timeoutMinutes: approval.timeoutMinutes,
    timeoutSeconds: approval.timeoutMinutes * 60 * scale,
    onTimeout: 'rollback',
  });
  if (record.decision === 'continue') return { record };
  const how =
    record.answer.by === 'timeout'
      ? `timed out after ${record.waitedSeconds.toFixed(1)} s (${record.timeoutMinutes} min configured, scaled)`
      : record.answer.by === 'command'
        ? `rejected by \`pnpm rehearse rollback\` (${record.answer.user}, pid ${record.answer.pid})`
        : 'rejected: interrupted';
  return {
    record,
    rejected: `approval before the ${infra.environment} release ${how}; the release was not made`,
  };
}
