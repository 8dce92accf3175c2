import type { AppSpec } from '@webapp-color/deploy-specs';
import { realClock, waitUntil, WaitTimeoutError, type Clock } from './clock.js';
import type { Http5xxCounts, TaskSetColor } from './haproxy.js';
import type { ShiftStep } from './settings.js';

/** CodeDeploy's lifecycle events of an ECS blue/green deployment, in its order. */
export const LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;
export type LifecycleEventName = (typeof LIFECYCLE_EVENTS)[number];

/** The events an AppSpec may attach a Lambda hook to. */
export const HOOK_EVENTS = [
  'BeforeInstall',
  'AfterInstall',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AfterAllowTraffic',
] as const satisfies readonly LifecycleEventName[];
export type HookEventName = (typeof HOOK_EVENTS)[number];

/** The steps after the lifecycle events, as the console shows them. */
export type StepName = LifecycleEventName | 'Wait' | 'TerminateOriginalTaskSet' | 'Rollback';

export type EventResult = 'Succeeded' | 'Failed' | 'Skipped';

export interface EventRecord {
  readonly name: StepName;
  /** ISO time. */
  readonly start: string;
  readonly end: string;
  readonly durationSeconds: number;
  readonly result: EventResult;
  readonly detail: string;
}

export interface HookOutcome {
  readonly status: 'Succeeded' | 'Failed';
  readonly detail: string;
}

/** What the release acts on: task sets, listeners, hooks. Real, or a fake in the unit tests. */
export interface ReleasePlatform {
  /** Starts the replacement task set and registers it with its target group. */
  startGreen(): Promise<void>;
  /**
   * healthy: every task's container check passed and every target is in
   * service; stopped: a task is not running (ECS's scheduler, part of the
   * platform, replaces it).
   */
  greenState(): Promise<'healthy' | 'starting' | 'stopped'>;
  /** Points the test listener at a task set, or at no target at all (a listener left without one). */
  routeTest(set: TaskSetColor | 'none'): Promise<void>;
  /** Production's share for green, 0-100 (blue gets the rest). */
  setProductionShare(greenPercent: number): Promise<void>;
  /** The load balancer's 5xx so far, both listeners (the alarms' metrics, cumulative). */
  http5xxCounts(): Promise<Http5xxCounts>;
  /** Deregisters a task set's targets (waiting the deregistration delay) and stops its tasks. */
  terminate(set: TaskSetColor): Promise<string>;
  /** What production answers right now, e.g. "blue 15, green 5" (for the progress). */
  sampleProduction?(): Promise<string>;
  /** Runs one AppSpec hook and waits for its report. */
  runHook(event: HookEventName, functionName: string): Promise<HookOutcome>;
}

export interface ReleasePlan {
  readonly hooks: ReadonlyMap<HookEventName, string>;
  /** Shift steps, waits already scaled. */
  readonly steps: readonly ShiftStep[];
  /** The configured health gate: healthy threshold × interval of the target group's checks. */
  readonly healthGateSeconds: number;
  /** Seconds past the gate before green counts as never healthy (one check's timeout). */
  readonly healthGraceSeconds: number;
  /** Scaled termination wait. */
  readonly terminationWaitSeconds: number;
  /** The deployment group's 5xx alarms (infra's RollbackAlarms), evaluated as CloudWatch does. */
  readonly alarm: {
    /** 5xx per period that breach: the load balancer's own (LoadBalancer5xxAlarm), the targets' (Target5xxAlarm). */
    readonly thresholds: Readonly<Http5xxCounts>;
    /** Scaled period length. */
    readonly periodSeconds: number;
    /** Periods in breach, in a row, before the alarm fires. */
    readonly periods: number;
  };
}

export interface ReleaseObserver {
  /** An event started (live progress). */
  started?(name: StepName): void;
  finished(record: EventRecord): void;
  /** The traffic phase the load's answers count under. */
  phase(name: string): void;
}

export interface ReleaseOutcome {
  readonly outcome: 'succeeded' | 'rolled-back';
  /** Why the release rolled back. */
  readonly reason?: string;
  readonly events: readonly EventRecord[];
  readonly greenHealthySeconds?: number;
  readonly hookSeconds: number;
  readonly shiftSeconds?: number;
  readonly drainSeconds?: number;
}

/** The hooks of a rendered AppSpec, by event. */
export function appSpecHooks(appSpec: AppSpec): Map<HookEventName, string> {
  const hooks = new Map<HookEventName, string>();
  for (const entry of appSpec.Hooks ?? []) {
    for (const [event, functionName] of Object.entries(entry)) {
      if ((HOOK_EVENTS as readonly string[]).includes(event) && typeof functionName === 'string') {
        hooks.set(event as HookEventName, functionName);
      }
    }
  }
  return hooks;
}

class Rollback extends Error {}

/** The alarms' names in infra's RollbackAlarms, by metric. */
const ALARM_NAMES: Readonly<Record<keyof Http5xxCounts, string>> = {
  loadBalancer: 'LoadBalancer5xxAlarm',
  targets: 'Target5xxAlarm',
};

/**
 * Runs one blue/green release in CodeDeploy's order and rolls back when a
 * hook fails, green never becomes healthy, a 5xx alarm goes to ALARM, or
 * the signal aborts (the user interrupts). A task that stops is not a
 * rollback by itself: ECS's scheduler replaces it (the platform's own
 * business, as ECS's is CodeDeploy's), the load balancer's health checks
 * decide where requests go meanwhile, and only the alarms (or a failing
 * hook) end the deployment, as in AWS:
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html#deployments-rollback-and-redeploy-automatic-rollbacks
 */
export async function runRelease(
  plan: ReleasePlan,
  platform: ReleasePlatform,
  observer: ReleaseObserver,
  options: { clock?: Clock; signal?: AbortSignal } = {},
): Promise<ReleaseOutcome> {
  const clock = options.clock ?? realClock;
  const signal = options.signal;
  const events: EventRecord[] = [];
  let hookSeconds = 0;
  let greenHealthySeconds: number | undefined;
  let shiftSeconds: number | undefined;
  let drainSeconds: number | undefined;
  let greenStarted = false;

  const interrupted = () => {
    if (signal?.aborted) throw new Rollback('interrupted by the user');
  };

  async function step(
    name: StepName,
    body: () => Promise<{ result?: EventResult; detail: string }>,
    interruptible = true,
  ): Promise<void> {
    if (interruptible) interrupted();
    observer.started?.(name);
    const start = clock.now();
    let result: EventResult = 'Succeeded';
    let detail = '';
    try {
      const done = await body();
      result = done.result ?? 'Succeeded';
      detail = done.detail;
    } catch (error) {
      result = 'Failed';
      detail = error instanceof Error ? error.message : String(error);
      throw error instanceof Rollback ? error : new Rollback(`${name}: ${detail}`);
    } finally {
      const end = clock.now();
      const record: EventRecord = {
        name,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        durationSeconds: (end - start) / 1000,
        result,
        detail,
      };
      events.push(record);
      observer.finished(record);
    }
  }

  async function hook(event: HookEventName): Promise<void> {
    const functionName = plan.hooks.get(event);
    await step(event, async () => {
      if (!functionName) return { result: 'Skipped', detail: 'no hook in the AppSpec' };
      const begun = clock.now();
      const outcome = await whileWatchingAlarms(platform.runHook(event, functionName));
      hookSeconds += (clock.now() - begun) / 1000;
      if (outcome.status !== 'Succeeded')
        throw new Rollback(`${event} hook ${functionName} failed: ${outcome.detail}`);
      return { detail: `${functionName}: ${outcome.detail}` };
    });
    await checkAlarm();
  }

  // CloudWatch evaluates each alarm once a (scaled) period over that period's
  // datapoint; `periods` breaching datapoints in a row put it in ALARM
  // (datapointsToAlarm = evaluationPeriods in infra's RollbackAlarms), and
  // CodeDeploy, watching the deployment group's alarms, rolls back.
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
  let alarmBaseline: Http5xxCounts | undefined;
  let alarmFired: Rollback | undefined;
  let alarmWindowStart = clock.now();
  const breaches: Record<keyof Http5xxCounts, number> = { loadBalancer: 0, targets: 0 };
  async function checkAlarm(): Promise<void> {
    if (alarmFired) throw alarmFired;
    if (alarmBaseline && clock.now() - alarmWindowStart < plan.alarm.periodSeconds * 1000) return;
    const counts = await platform.http5xxCounts();
    const previous = alarmBaseline;
    alarmBaseline = counts;
    alarmWindowStart = clock.now();
    if (!previous) return;
    for (const metric of ['loadBalancer', 'targets'] as const) {
      const inPeriod = counts[metric] - previous[metric];
      const threshold = plan.alarm.thresholds[metric];
      breaches[metric] = inPeriod >= threshold ? breaches[metric] + 1 : 0;
      if (breaches[metric] >= plan.alarm.periods) {
        alarmFired = new Rollback(
          `${ALARM_NAMES[metric]} in ALARM: ${inPeriod} ${metric === 'targets' ? 'target' : 'load balancer'} 5xx in the last period (threshold ${threshold}, ${plan.alarm.periods} period${plan.alarm.periods === 1 ? '' : 's'} in a row)`,
        );
        throw alarmFired;
      }
    }
  }

  /**
   * CodeDeploy watches the deployment group's alarms while a hook runs too:
   * an alarm stops the deployment without waiting for the hook's report.
   */
  async function whileWatchingAlarms<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watching = (async () => {
      while (!settled) {
        await checkAlarm();
        await clock.sleep(250);
      }
    })();
    try {
      return await Promise.race([work, watching.then(() => work)]);
    } finally {
      settled = true;
      // An alarm that fired meanwhile is kept in alarmFired for the next check.
      await watching.catch(() => undefined);
    }
  }

  /** Waits, watching the alarms and the user. */
  async function watch(seconds: number): Promise<void> {
    const until = clock.now() + seconds * 1000;
    for (;;) {
      interrupted();
      await checkAlarm();
      const left = until - clock.now();
      if (left <= 0) return;
      await clock.sleep(Math.min(left, 250));
    }
  }

  try {
    await checkAlarm();
    await hook('BeforeInstall');
    await step('Install', async () => {
      observer.phase('install');
      const begun = clock.now();
      greenStarted = true;
      await platform.startGreen();
      const limitSeconds = plan.healthGateSeconds + plan.healthGraceSeconds;
      await waitUntil(
        async () => {
          interrupted();
          await checkAlarm();
          return (await platform.greenState()) === 'healthy';
        },
        { waitingFor: 'green to be healthy', timeoutMs: limitSeconds * 1000, since: begun, clock },
      ).catch((error: unknown) => {
        if (!(error instanceof WaitTimeoutError)) throw error;
        throw new Rollback(
          `green not healthy after ${limitSeconds} s (health gate ${plan.healthGateSeconds} s, plus one check timeout)`,
        );
      });
      greenHealthySeconds = (clock.now() - begun) / 1000;
      return { detail: `replacement task set healthy after ${greenHealthySeconds.toFixed(1)} s` };
    });
    await hook('AfterInstall');
    await step('AllowTestTraffic', async () => {
      observer.phase('test-traffic');
      await platform.routeTest('green');
      return { detail: 'test listener → replacement task set' };
    });
    await hook('AfterAllowTestTraffic');
    await hook('BeforeAllowTraffic');
    await step('AllowTraffic', async () => {
      observer.phase('shift');
      const begun = clock.now();
      const seen: string[] = [];
      for (const shift of plan.steps) {
        await platform.setProductionShare(shift.greenPercent);
        const sample = await platform.sampleProduction?.().catch(() => undefined);
        seen.push(`${shift.greenPercent} %${sample ? ` (${sample})` : ''}`);
        await watch(shift.waitSecondsAfter);
      }
      shiftSeconds = (clock.now() - begun) / 1000;
      return {
        detail: `production → replacement: ${seen.join(', ')}`,
      };
    });
    await hook('AfterAllowTraffic');
    await step('Wait', async () => {
      observer.phase('termination');
      await watch(plan.terminationWaitSeconds);
      return {
        detail: `original task set kept ${plan.terminationWaitSeconds} s (termination wait)`,
      };
    });
    await step('TerminateOriginalTaskSet', async () => {
      const begun = clock.now();
      const detail = await platform.terminate('blue');
      drainSeconds = (clock.now() - begun) / 1000;
      return { detail };
    });
    return {
      outcome: 'succeeded',
      events,
      greenHealthySeconds,
      hookSeconds,
      shiftSeconds,
      drainSeconds,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    observer.phase('rollback');
    await step(
      'Rollback',
      async () => {
        await platform.setProductionShare(0);
        await platform.routeTest('blue');
        const sample = await platform.sampleProduction?.().catch(() => undefined);
        const stopped = greenStarted
          ? await platform.terminate('green')
          : 'no replacement task set';
        return {
          detail: `production and test → original task set${sample ? ` (${sample})` : ''}; ${stopped}`,
        };
      },
      false,
    ).catch(() => undefined);
    return {
      outcome: 'rolled-back',
      reason,
      events,
      greenHealthySeconds,
      hookSeconds,
      shiftSeconds,
      drainSeconds,
    };
  }
}
