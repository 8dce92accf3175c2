import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import {
  DEPLOYMENT_CONTROLLERS,
  environments,
  loadInfraConfig,
  parseInfraConfig,
  stackNamesOf,
  type DeploymentController,
  type PAUSE_STAGES,
} from '@webapp-color/infra/environments';
import { deregistrationDelaySeconds } from '@webapp-color/infra/timings';
import type { TargetHealthCheck } from './haproxy.js';

export type DeploymentStrategy =
  | { readonly type: 'all-at-once' }
  | {
      readonly type: 'canary' | 'linear';
      readonly percent: number;
      readonly intervalMinutes: number;
    };

/**
 * What the rehearsal takes from the infrastructure configuration
 * (an environment of @webapp-color/infra/environments, validated by its
 * own schema): the load balancer, the deployment config and the alarms
 * the CDK app creates.
 */
export interface InfraSettings {
  readonly environment: string;
  /** What drives the environment's releases (deployment.controller). */
  readonly controller: DeploymentController;
  /** The environment's stacks in cdk.out (which holds every environment's). */
  readonly stackNames: readonly string[];
  readonly region: string;
  /** The site's host name (the production listener's certificate and Host). */
  readonly siteHost: string;
  /** Tasks per task set: the autoscaling floor, what an idle service runs. */
  readonly taskCount: number;
  readonly testListenerPort: number;
  readonly healthCheck: Omit<TargetHealthCheck, 'path'>;
  readonly strategy: DeploymentStrategy;
  readonly terminationWaitMinutes: number;
  readonly target5xxPerMinute: number;
  readonly loadBalancer5xxPerMinute: number;
  readonly evaluationPeriods: number;
  readonly deregistrationDelaySeconds: number;
  readonly smokeTest: {
    readonly pagePath: string;
    readonly versionPath: string;
    readonly requireVersion: boolean;
  };
  /** promotion.approval: the manual approval before the environment's release. */
  readonly approval?: { readonly from: string; readonly timeoutMinutes: number };
  /** deployment.pause (`ecs` only): the PAUSE lifecycle hook inside the deployment. */
  readonly pause?: {
    readonly stage: NativePauseStage;
    readonly timeoutMinutes: number;
    readonly onTimeout: 'CONTINUE' | 'ROLLBACK';
  };
}

/** The stages a PAUSE hook may wait at (infra's PAUSE_STAGES). */
export type NativePauseStage = (typeof PAUSE_STAGES)[number];

/**
 * Loads one infra environment's settings through the infra package's own
 * loader and schema, which name any bad field.
 */
export function loadInfraSettings(
  definition: DeliveryDefinition,
  environment: string,
): InfraSettings {
  const config = loadInfraConfig(environment);
  return {
    environment,
    controller: config.deployment.controller,
    stackNames: Object.values(stackNamesOf(config)),
    region: config.region,
    siteHost: config.site.domainName,
    taskCount: config.service.minCount,
    testListenerPort: config.loadBalancer.testListenerPort,
    healthCheck: config.loadBalancer.healthCheck,
    strategy: config.deployment.strategy,
    terminationWaitMinutes: config.deployment.terminationWaitMinutes,
    target5xxPerMinute: config.alarms.target5xxPerMinute,
    loadBalancer5xxPerMinute: config.alarms.loadBalancer5xxPerMinute,
    evaluationPeriods: config.alarms.evaluationPeriods,
    deregistrationDelaySeconds: deregistrationDelaySeconds(definition),
    smokeTest: config.smokeTest,
    ...(config.promotion
      ? {
          approval: {
            from: config.promotion.from,
            timeoutMinutes: config.promotion.approval.timeoutMinutes,
          },
        }
      : {}),
    ...(config.deployment.pause ? { pause: config.deployment.pause } : {}),
  };
}

/** One step of the production traffic shift: green's share, then the wait before the next. */
export interface ShiftStep {
  readonly greenPercent: number;
  readonly waitSecondsAfter: number;
}

/**
 * CodeDeploy's ECS deployment configs as steps: all at once; canary (the
 * percentage, the interval, then the rest); linear (the percentage every
 * interval until 100).
 */
export function shiftSteps(strategy: DeploymentStrategy): ShiftStep[] {
  if (strategy.type === 'all-at-once') return [{ greenPercent: 100, waitSecondsAfter: 0 }];
  const interval = strategy.intervalMinutes * 60;
  if (strategy.type === 'canary') {
    return [
      { greenPercent: strategy.percent, waitSecondsAfter: interval },
      { greenPercent: 100, waitSecondsAfter: 0 },
    ];
  }
  const steps: ShiftStep[] = [];
  for (let percent = strategy.percent; ; percent += strategy.percent) {
    const last = percent >= 100;
    steps.push({ greenPercent: Math.min(100, percent), waitSecondsAfter: last ? 0 : interval });
    if (last) return steps;
  }
}

/** A deployment config as the CLI flag names it: all-at-once, canary:10:5, linear:10:1. */
export function parseStrategy(text: string): DeploymentStrategy {
  if (text === 'all-at-once') return { type: 'all-at-once' };
  const match = /^(canary|linear):(\d+):(\d+)$/.exec(text);
  const percent = Number(match?.[2]);
  const intervalMinutes = Number(match?.[3]);
  if (!match || percent < 1 || percent > 99 || intervalMinutes < 1) {
    throw new Error(
      `--strategy ${JSON.stringify(text)}: expected all-at-once, canary:<percent 1-99>:<minutes ≥ 1> or linear:<percent 1-99>:<minutes ≥ 1>`,
    );
  }
  return { type: match[1] as 'canary' | 'linear', percent, intervalMinutes };
}

export { DEPLOYMENT_CONTROLLERS, type DeploymentController };

/** `--controller`: one of the controllers an environment can be on. */
export function parseController(text: string): DeploymentController {
  if (!(DEPLOYMENT_CONTROLLERS as readonly string[]).includes(text)) {
    throw new Error(
      `--controller ${JSON.stringify(text)}: expected one of ${DEPLOYMENT_CONTROLLERS.join(', ')}`,
    );
  }
  return text as DeploymentController;
}

/** The registered environments on a controller, in registration order. */
export function environmentsOn(controller: DeploymentController): string[] {
  return Object.keys(environments).filter((name) => {
    try {
      return parseInfraConfig(name, environments[name]!).deployment.controller === controller;
    } catch {
      return false;
    }
  });
}
