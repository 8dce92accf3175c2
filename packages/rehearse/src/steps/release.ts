import { realClock, type Clock } from '../clock.js';
import { withFaults, type Fault, type TaskControl } from '../faults.js';
import type { TaskSetColor } from '../haproxy.js';
import {
  appSpecHooks,
  runRelease,
  type ReleaseObserver,
  type ReleaseOutcome,
  type ReleasePlan,
  type ReleasePlatform,
} from '../lifecycle.js';
import type { TrafficPoint } from '../load-series.js';
import {
  runNativeRelease,
  type NativeDeploymentIdentity,
  type NativeGates,
  type NativeReleasePlan,
} from '../native.js';
import type { NativeHook } from '../native-stages.js';
import type { LocalRelease } from '../render.js';
import { shiftSteps, type DeploymentStrategy, type InfraSettings } from '../settings.js';
import { withTrafficLog } from '../traffic-log.js';

/** The platform as the release step drives it: the port, the tasks a fault reaches, and ECS's scheduler. */
export interface ReleaseStagePlatform extends ReleasePlatform, TaskControl {
  startScheduler(): void;
  stopScheduler(): Promise<void>;
}

/** The load the release runs under: its phases follow the lifecycle's. */
export interface PhasedLoad {
  enter(phase: string): void;
  stop(): Promise<void>;
}

export interface ReleaseGreenInput {
  readonly platform: ReleaseStagePlatform;
  /** CodeDeploy's release; ignored where `nativePlan` is given. */
  readonly plan: ReleasePlan;
  /** ECS controller: the release ECS's own deployment runs instead. */
  readonly nativePlan?: NativeReleasePlan;
  readonly releases: Readonly<Record<TaskSetColor, LocalRelease>>;
  readonly load: PhasedLoad;
  readonly fault?: Fault;
  readonly progress: (line: string) => void;
  readonly signal?: AbortSignal;
  /** @default the real clock */
  readonly clock?: Clock;
  /** Where production's weights are written down as they change (for the report). */
  readonly traffic?: TrafficPoint[];
  /** ECS controller: what answers the PAUSE hook (deployment.pause). */
  readonly gates?: NativeGates;
}

/**
 * Step 4, release green: CodeDeploy's lifecycle, or ECS's, on the platform (with the
 * fault, if one is asked for, injected around it) while ECS's scheduler
 * keeps the task sets up and the load runs; the load stops with it.
 */
export async function releaseGreen(input: ReleaseGreenInput): Promise<ReleaseOutcome> {
  const { platform, load, progress } = input;
  const observer: ReleaseObserver = {
    started: (name) => progress(`${name.padEnd(25)} InProgress`),
    finished: (record) =>
      progress(
        `${`${record.rollback ? '↩ ' : ''}${record.name}`.padEnd(25)} ${record.result.padEnd(10)} ${record.durationSeconds.toFixed(1).padStart(6)} s  ${record.start.slice(11, 19)} → ${record.end.slice(11, 19)}  ${record.invocations === undefined ? '' : `[${record.hookStatus ?? 'no hookStatus'} ×${record.invocations}] `}${record.detail}`,
      ),
    phase: (name) => load.enter(name),
  };
  const faulty = withFaults(platform, input.fault, {
    releases: input.releases,
    log: progress,
    ...(input.clock ? { clock: input.clock } : {}),
  });
  const driven = input.traffic
    ? withTrafficLog(faulty, input.traffic, input.clock ?? realClock)
    : faulty;
  platform.startScheduler();
  try {
    const options = { signal: input.signal, ...(input.clock ? { clock: input.clock } : {}) };
    return input.nativePlan
      ? await runNativeRelease(input.nativePlan, driven, observer, {
          ...options,
          ...(input.gates ? { gates: input.gates } : {}),
        })
      : await runRelease(input.plan, driven, observer, options);
  } finally {
    await load.stop();
    await platform.stopScheduler();
  }
}

/** The release as infra configures it: the green AppSpec's hooks, the shift, the health gate, the alarms, waits scaled. */
export function releasePlan(
  infra: InfraSettings,
  strategy: DeploymentStrategy,
  greenAppSpec: LocalRelease['appSpec'],
  scale: number,
): ReleasePlan {
  return {
    ...commonPlan(infra, strategy, scale),
    hooks: appSpecHooks(greenAppSpec),
    terminationWaitSeconds: infra.terminationWaitMinutes * 60 * scale,
  };
}

/**
 * The release as ECS's own deployment runs it for the environment: the
 * service's lifecycle hooks, the strategy's steps (canary: the percent,
 * the canary bake, the rest; linear: a step every step bake), the bake
 * time (the environment's terminationWaitMinutes, as infra renders it into
 * BakeTimeInMinutes), the same health gate and 5xx alarms; waits scaled.
 */
export function nativeReleasePlan(
  infra: InfraSettings,
  strategy: DeploymentStrategy,
  hooks: readonly NativeHook[],
  identity: NativeDeploymentIdentity,
  scale: number,
  /** The service's PAUSE hook as synthesized (deployment.pause). */
  pause?: InfraSettings['pause'],
): NativeReleasePlan {
  return {
    ...commonPlan(infra, strategy, scale),
    hooks,
    bakeSeconds: infra.terminationWaitMinutes * 60 * scale,
    scale,
    identity,
    ...(pause ? { pause } : {}),
  };
}

function commonPlan(infra: InfraSettings, strategy: DeploymentStrategy, scale: number) {
  const check = infra.healthCheck;
  return {
    steps: shiftSteps(strategy).map((step) => ({
      ...step,
      waitSecondsAfter: step.waitSecondsAfter * scale,
    })),
    healthGateSeconds: check.healthyThreshold * check.intervalSeconds,
    healthGraceSeconds: check.timeoutSeconds,
    alarm: {
      thresholds: {
        loadBalancer: infra.loadBalancer5xxPerMinute,
        targets: infra.target5xxPerMinute,
      },
      periodSeconds: 60 * scale,
      periods: infra.evaluationPeriods,
    },
  };
}
