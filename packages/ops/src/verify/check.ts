import type { DeploymentController } from '@webapp-color/infra/environments';
import type { OpsClients } from '../aws.js';
import type { OpsEnvironment } from '../environment.js';
import type { DeployedStack } from '../stacks.js';

/** What one check found: ✓ or ✗, what it saw, and for ✗ what to do. */
export interface Finding {
  readonly ok: boolean;
  /** What was seen, in one line. */
  readonly detail: string;
  /** For ✗: what to do about it. */
  readonly fix?: string;
}

export interface CheckResult extends Finding {
  readonly id: string;
  readonly title: string;
  /** The item does not apply to this environment's controller; `detail` says why. */
  readonly notApplicable?: true;
}

/** What every check reads from: the environment, its clients, both stacks, the time. */
export interface VerifyContext {
  readonly environment: OpsEnvironment;
  readonly clients: OpsClients;
  readonly app: DeployedStack;
  readonly stateful: DeployedStack;
  readonly now: Date;
}

/**
 * One item of infra/docs/assurance.md's "What only a real account can confirm"
 * that a read settles. `id` is stable (scripts read it from `--json`).
 */
export interface Check {
  readonly id: string;
  readonly title: string;
  /** The deployment controllers the item applies to. @default both */
  readonly controllers?: readonly DeploymentController[];
  /**
   * Why the item does not apply on the other controller: verify prints it
   * as an "n/a" line there. Without it the check is left out there (an
   * ECS-only check is not listed for a CodeDeploy environment, whose own
   * checks cover the same ground).
   */
  readonly notApplicableBecause?: string;
  /**
   * Why the item does not apply to this environment, whatever its
   * controller (undefined: it applies); verify prints it as an "n/a" line.
   */
  readonly notApplicableTo?: (environment: OpsEnvironment) => string | undefined;
  run(context: VerifyContext): Promise<Finding>;
}

export const pass = (detail: string): Finding => ({ ok: true, detail });
export const fail = (detail: string, fix: string): Finding => ({ ok: false, detail, fix });
