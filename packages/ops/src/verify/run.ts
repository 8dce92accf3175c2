import { callerIdentity, describeError, type OpsClients } from '../aws.js';
import type { OpsEnvironment } from '../environment.js';
import { readStack, type DeployedStack } from '../stacks.js';
import { CHECKS } from './catalog.js';
import { fail, pass, type CheckResult, type Finding } from './check.js';

export interface VerifyReport {
  readonly environment: string;
  readonly region: string;
  readonly account: string;
  readonly ok: boolean;
  readonly results: readonly CheckResult[];
}

const STACKS_CHECK = { id: 'stacks', title: 'stacks deployed' } as const;

function stackFinding(name: string, stack: DeployedStack | undefined, envName: string): Finding {
  const deploy = `pnpm exec cdk deploy --all -c env=${envName} (infra/docs/operating.md, Bootstrap and deploy)`;
  if (!stack) return fail(`${name} does not exist`, deploy);
  const status = stack.status;
  if (status.endsWith('_IN_PROGRESS')) {
    return fail(`${name} is ${status}`, 'wait for CloudFormation to finish, then verify again');
  }
  if (
    status.endsWith('_FAILED') ||
    status === 'ROLLBACK_COMPLETE' ||
    status === 'DELETE_COMPLETE'
  ) {
    return fail(
      `${name} is ${status}`,
      `read the stack's events in the CloudFormation console, fix the cause, then ${deploy}`,
    );
  }
  return pass(`${name} ${status}`);
}

/** What to do when a read itself failed. */
function fixForError(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (/AccessDenied|UnauthorizedOperation|AuthorizationError/.test(name)) {
    return 'the credentials may not make this read: allow the actions of the read-only policy (packages/ops/docs/read-only-policy.md)';
  }
  return 'run again; if it persists, check the region and the stack outputs';
}

/**
 * Run every check against the deployed environment, reading only. A check
 * whose read fails is a ✗ with the error; the others still run.
 */
export async function verify(
  environment: OpsEnvironment,
  clients: OpsClients,
  progress: (line: string) => void,
  now: Date = new Date(),
): Promise<VerifyReport> {
  const identity = await callerIdentity(clients);
  progress(
    `verify ${environment.name}: account ${identity.account}, ${environment.region} (${identity.arn})`,
  );
  progress(`reading stacks ${environment.appStackName}, ${environment.statefulStackName}`);
  const [app, stateful] = await Promise.all([
    readStack(clients.cloudformation, environment.appStackName),
    readStack(clients.cloudformation, environment.statefulStackName),
  ]);
  const stacks = [
    stackFinding(environment.statefulStackName, stateful, environment.name),
    stackFinding(environment.appStackName, app, environment.name),
  ];
  const stacksResult: CheckResult = {
    ...STACKS_CHECK,
    ok: stacks.every((s) => s.ok),
    detail: stacks.map((s) => s.detail).join(', '),
    fix: stacks.find((s) => !s.ok)?.fix,
  };
  const results: CheckResult[] = [stacksResult];
  if (!app || !stateful) {
    return {
      environment: environment.name,
      region: environment.region,
      account: identity.account,
      ok: false,
      results,
    };
  }
  const context = { environment, clients, app, stateful, now };
  const controller = environment.config.deployment.controller;
  for (const check of CHECKS) {
    if (check.controllers && !check.controllers.includes(controller)) {
      if (check.notApplicableBecause) {
        results.push({
          id: check.id,
          title: check.title,
          ok: true,
          notApplicable: true,
          detail: `n/a for the ${controller} controller: ${check.notApplicableBecause}`,
        });
      }
      continue;
    }
    const reason = check.notApplicableTo?.(environment);
    if (reason !== undefined) {
      results.push({
        id: check.id,
        title: check.title,
        ok: true,
        notApplicable: true,
        detail: `n/a for ${environment.name}: ${reason}`,
      });
      continue;
    }
    progress(`checking ${check.title}…`);
    let finding: Finding;
    try {
      finding = await check.run(context);
    } catch (error) {
      finding = fail(describeError(error), fixForError(error));
    }
    results.push({ id: check.id, title: check.title, ...finding });
  }
  return {
    environment: environment.name,
    region: environment.region,
    account: identity.account,
    ok: results.every((r) => r.ok),
    results,
  };
}

/** One line per check, ✓, ✗ or – (n/a), and for ✗ what to do on the next line. */
export function renderVerifyReport(report: VerifyReport): string {
  const lines = report.results.flatMap((r) =>
    r.notApplicable
      ? [`– ${r.title}: ${r.detail}`]
      : r.ok
        ? [`✓ ${r.title}: ${r.detail}`]
        : [`✗ ${r.title}: ${r.detail}`, `    → ${r.fix ?? 'see the detail above'}`],
  );
  const checked = report.results.filter((r) => !r.notApplicable).length;
  const notApplicable = report.results.length - checked;
  const failed = report.results.filter((r) => !r.ok).length;
  const skipped = notApplicable > 0 ? ` (${notApplicable} n/a)` : '';
  lines.push(
    failed === 0
      ? `${report.environment}: all ${checked} checks passed${skipped}`
      : `${report.environment}: ${failed} of ${checked} checks failed${skipped}`,
  );
  return `${lines.join('\n')}\n`;
}
