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
  readonly plan: ReleasePlan;
  readonly releases: Readonly<Record<TaskSetColor, LocalRelease>>;
  readonly load: PhasedLoad;
  readonly fault?: Fault;
  readonly progress: (line: string) => void;
  readonly signal?: AbortSignal;
  /** @default the real clock */
  readonly clock?: Clock;
  /** Where production's weights are written down as they change (for the report). */
  readonly traffic?: TrafficPoint[];
}

/**
 * Step 4, release green: CodeDeploy's lifecycle on the platform (with the
 * fault, if one is asked for, injected around it) while ECS's scheduler
 * keeps the task sets up and the load runs; the load stops with it.
 */
export async function releaseGreen(input: ReleaseGreenInput): Promise<ReleaseOutcome> {
  const { platform, load, progress } = input;
  const observer: ReleaseObserver = {
    started: (name) => progress(`${name.padEnd(25)} InProgress`),
    finished: (record) =>
      progress(
        `${record.name.padEnd(25)} ${record.result.padEnd(10)} ${record.durationSeconds.toFixed(1).padStart(6)} s  ${record.start.slice(11, 19)} → ${record.end.slice(11, 19)}  ${record.detail}`,
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
    return await runRelease(input.plan, driven, observer, {
      signal: input.signal,
      ...(input.clock ? { clock: input.clock } : {}),
    });
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
  const check = infra.healthCheck;
  return {
    hooks: appSpecHooks(greenAppSpec),
    steps: shiftSteps(strategy).map((step) => ({
      ...step,
      waitSecondsAfter: step.waitSecondsAfter * scale,
    })),
    healthGateSeconds: check.healthyThreshold * check.intervalSeconds,
    healthGraceSeconds: check.timeoutSeconds,
    terminationWaitSeconds: infra.terminationWaitMinutes * 60 * scale,
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
