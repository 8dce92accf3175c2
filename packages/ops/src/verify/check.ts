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
 * One item of infra/README.md's "What only a real account can confirm"
 * that a read settles. `id` is stable (scripts read it from `--json`).
 */
export interface Check {
  readonly id: string;
  readonly title: string;
  run(context: VerifyContext): Promise<Finding>;
}

export const pass = (detail: string): Finding => ({ ok: true, detail });
export const fail = (detail: string, fix: string): Finding => ({ ok: false, detail, fix });
