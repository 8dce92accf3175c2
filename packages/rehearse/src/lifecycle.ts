import type { AppSpec } from '@webapp-color/deploy-specs';
import { realClock, waitUntil, WaitTimeoutError, type Clock } from './clock.js';
import type { Http5xxCounts, TaskSetColor } from './haproxy.js';
import type {
  NativeHookInvocation,
  NativeHookResult,
  NativeHookStatus,
  NativeStageName,
} from './native-stages.js';
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

/** The steps after the lifecycle events, as the console shows them; or ECS's own stages. */
export type StepName =
  LifecycleEventName | 'Wait' | 'TerminateOriginalTaskSet' | 'Rollback' | NativeStageName;

export type EventResult = 'Succeeded' | 'Failed' | 'Skipped';

export interface EventRecord {
  readonly name: StepName;
  /** ISO time. */
  readonly start: string;
  readonly end: string;
  readonly durationSeconds: number;
  readonly result: EventResult;
  readonly detail: string;
  /** ECS controller: how often the stage's hooks were invoked (IN_PROGRESS re-invokes). */
  readonly invocations?: number;
  /** ECS controller: the last hookStatus the stage's hooks returned. */
  readonly hookStatus?: NativeHookStatus;
  /** ECS controller: the stage ran again as part of the rollback. */
  readonly rollback?: boolean;
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
  /**
   * ECS controller: invokes one lifecycle hook once with ECS's payload and
   * returns what it returned (the service deployment in the state given).
   */
  invokeNativeHook?(invocation: NativeHookInvocation): Promise<NativeHookResult>;
}

/** What both controllers share: the shift, the health gate, the alarms. */
export interface CommonReleasePlan {
  /** Shift steps, waits already scaled. */
  readonly steps: readonly ShiftStep[];
  /** The configured health gate: healthy threshold × interval of the target group's checks. */
  readonly healthGateSeconds: number;
  /** Seconds past the gate before green counts as never healthy (one check's timeout). */
  readonly healthGraceSeconds: number;
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

export interface ReleasePlan extends CommonReleasePlan {
  readonly hooks: ReadonlyMap<HookEventName, string>;
  /** Scaled termination wait. */
  readonly terminationWaitSeconds: number;
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

/** Why the deployment stops and rolls back (a failed event, an alarm, the user). */
export class Rollback extends Error {
  constructor(
    message: string,
    /** What the failed event records besides its detail (ECS: invocations, hookStatus). */
    readonly extra?: Pick<EventRecord, 'invocations' | 'hookStatus' | 'rollback'>,
  ) {
    super(message);
  }
}

/** The alarms' names in infra's RollbackAlarms, by metric. */
const ALARM_NAMES: Readonly<Record<keyof Http5xxCounts, string>> = {
  loadBalancer: 'LoadBalancer5xxAlarm',
  targets: 'Target5xxAlarm',
};

/**
 * The deployment group's 5xx alarms as CloudWatch evaluates them: once a
 * (scaled) period over that period's datapoint; `periods` breaching
 * datapoints in a row put one in ALARM (datapointsToAlarm =
 * evaluationPeriods in infra's RollbackAlarms), and CodeDeploy, watching
 * the deployment group's alarms, rolls back.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
 */
export class RollbackAlarms {
  private baseline: Http5xxCounts | undefined;
  private fired: Rollback | undefined;
  private windowStart: number;
  private readonly breaches: Record<keyof Http5xxCounts, number> = { loadBalancer: 0, targets: 0 };

  constructor(
    private readonly alarm: CommonReleasePlan['alarm'],
    private readonly platform: ReleasePlatform,
    private readonly clock: Clock,
  ) {
    this.windowStart = clock.now();
  }

  /** Reads the period's datapoint when one is due; throws the rollback once an alarm is in ALARM. */
  async check(): Promise<void> {
    const { alarm, clock } = this;
    if (this.fired) throw this.fired;
    if (this.baseline && clock.now() - this.windowStart < alarm.periodSeconds * 1000) return;
    const counts = await this.platform.http5xxCounts();
    const previous = this.baseline;
    this.baseline = counts;
    this.windowStart = clock.now();
    if (!previous) return;
    for (const metric of ['loadBalancer', 'targets'] as const) {
      const inPeriod = counts[metric] - previous[metric];
      const threshold = alarm.thresholds[metric];
      this.breaches[metric] = inPeriod >= threshold ? this.breaches[metric] + 1 : 0;
      if (this.breaches[metric] >= alarm.periods) {
        this.fired = new Rollback(
          `${ALARM_NAMES[metric]} in ALARM: ${inPeriod} ${metric === 'targets' ? 'target' : 'load balancer'} 5xx in the last period (threshold ${threshold}, ${alarm.periods} period${alarm.periods === 1 ? '' : 's'} in a row)`,
        );
        throw this.fired;
      }
    }
  }

  /**
   * CodeDeploy watches the deployment group's alarms while a hook runs too:
   * an alarm stops the deployment without waiting for the hook's report.
   */
  async whileRunning<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    const watching = (async () => {
      while (!settled) {
        await this.check();
        await this.clock.sleep(250);
      }
    })();
    try {
      return await Promise.race([work, watching.then(() => work)]);
    } finally {
      settled = true;
      // An alarm that fired meanwhile is kept in `fired` for the next check.
      await watching.catch(() => undefined);
    }
  }
}

type Figures = Omit<ReleaseOutcome, 'outcome' | 'reason' | 'events'>;

/**
 * One release under way, whichever controller drives it: the events it
 * records, the alarms it watches, green's start and health gate, the
 * production shift step by step; each controller orders them its way.
 */
export abstract class ReleaseRun<Plan extends CommonReleasePlan = CommonReleasePlan> {
  readonly events: EventRecord[] = [];
  readonly figures: { -readonly [K in keyof Figures]: Figures[K] } = { hookSeconds: 0 };
  protected greenStarted = false;
  protected readonly alarms: RollbackAlarms;

  constructor(
    protected readonly plan: Plan,
    protected readonly platform: ReleasePlatform,
    protected readonly observer: ReleaseObserver,
    protected readonly clock: Clock,
    protected readonly signal: AbortSignal | undefined,
  ) {
    this.alarms = new RollbackAlarms(plan.alarm, platform, clock);
  }

  /** The lifecycle to its end; throws a Rollback where it stops. */
  abstract forward(): Promise<void>;

  /** Traffic back to blue, green stopped; never interrupted, never throws. */
  abstract rollBack(): Promise<void>;

  /** Green started and healthy within the health gate and one check's timeout. */
  protected async install(): Promise<{ detail: string }> {
    const { plan, platform, clock } = this;
    this.observer.phase('install');
    const begun = clock.now();
    this.greenStarted = true;
    await platform.startGreen();
    const limitSeconds = plan.healthGateSeconds + plan.healthGraceSeconds;
    await waitUntil(
      async () => {
        this.interrupted();
        await this.alarms.check();
        return (await platform.greenState()) === 'healthy';
      },
      { waitingFor: 'green to be healthy', timeoutMs: limitSeconds * 1000, since: begun, clock },
    ).catch((error: unknown) => {
      if (!(error instanceof WaitTimeoutError)) throw error;
      throw new Rollback(
        `green not healthy after ${limitSeconds} s (health gate ${plan.healthGateSeconds} s, plus one check timeout)`,
      );
    });
    const seconds = (clock.now() - begun) / 1000;
    this.figures.greenHealthySeconds = seconds;
    return { detail: `replacement task set healthy after ${seconds.toFixed(1)} s` };
  }

  /**
   * Production shifted step by step, each step's wait watched; `afterShift`
   * runs once a step's weights are in place, before its wait (ECS's
   * PRODUCTION_TRAFFIC_SHIFT hooks, at every step).
   */
  protected async shiftProduction(
    afterShift: (greenPercent: number) => Promise<void> = () => Promise.resolve(),
  ): Promise<{ detail: string }> {
    this.observer.phase('shift');
    const begun = this.clock.now();
    const seen: string[] = [];
    for (const shift of this.plan.steps) {
      await this.platform.setProductionShare(shift.greenPercent);
      const sample = await this.platform.sampleProduction?.().catch(() => undefined);
      seen.push(`${shift.greenPercent} %${sample ? ` (${sample})` : ''}`);
      await afterShift(shift.greenPercent);
      await this.watch(shift.waitSecondsAfter);
    }
    this.figures.shiftSeconds = (this.clock.now() - begun) / 1000;
    return { detail: `production → replacement: ${seen.join(', ')}` };
  }

  /** Runs one event and records it; a failure becomes the rollback's reason. */
  protected async step(
    name: StepName,
    body: () => Promise<{
      result?: EventResult;
      detail: string;
      extra?: Pick<EventRecord, 'invocations' | 'hookStatus' | 'rollback'>;
    }>,
    interruptible = true,
  ): Promise<void> {
    if (interruptible) this.interrupted();
    this.observer.started?.(name);
    const start = this.clock.now();
    let result: EventResult = 'Succeeded';
    let detail = '';
    let extra: Pick<EventRecord, 'invocations' | 'hookStatus' | 'rollback'> = {};
    try {
      const done = await body();
      result = done.result ?? 'Succeeded';
      detail = done.detail;
      extra = done.extra ?? {};
    } catch (error) {
      result = 'Failed';
      detail = error instanceof Error ? error.message : String(error);
      if (error instanceof Rollback && error.extra) extra = error.extra;
      throw error instanceof Rollback ? error : new Rollback(`${name}: ${detail}`);
    } finally {
      const end = this.clock.now();
      const record: EventRecord = {
        name,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        durationSeconds: (end - start) / 1000,
        result,
        detail,
        ...extra,
      };
      this.events.push(record);
      this.observer.finished(record);
    }
  }

  /** Waits, watching the alarms and the user. */
  protected async watch(seconds: number): Promise<void> {
    const until = this.clock.now() + seconds * 1000;
    for (;;) {
      this.interrupted();
      await this.alarms.check();
      const left = until - this.clock.now();
      if (left <= 0) return;
      await this.clock.sleep(Math.min(left, 250));
    }
  }

  protected interrupted(): void {
    if (this.signal?.aborted) throw new Rollback('interrupted by the user');
  }
}

/** One release under way: its events, in CodeDeploy's order, as methods. */
class CodeDeployRelease extends ReleaseRun<ReleasePlan> {
  /** The lifecycle from BeforeInstall to blue's termination; throws a Rollback where it stops. */
  async forward(): Promise<void> {
    await this.alarms.check();
    await this.hook('BeforeInstall');
    await this.step('Install', () => this.install());
    await this.hook('AfterInstall');
    await this.step('AllowTestTraffic', async () => {
      this.observer.phase('test-traffic');
      await this.platform.routeTest('green');
      return { detail: 'test listener → replacement task set' };
    });
    await this.hook('AfterAllowTestTraffic');
    await this.hook('BeforeAllowTraffic');
    await this.step('AllowTraffic', () => this.shiftProduction());
    await this.hook('AfterAllowTraffic');
    await this.step('Wait', async () => {
      this.observer.phase('termination');
      await this.watch(this.plan.terminationWaitSeconds);
      return {
        detail: `original task set kept ${this.plan.terminationWaitSeconds} s (termination wait)`,
      };
    });
    await this.step('TerminateOriginalTaskSet', async () => {
      const begun = this.clock.now();
      const detail = await this.platform.terminate('blue');
      this.figures.drainSeconds = (this.clock.now() - begun) / 1000;
      return { detail };
    });
  }

  /** Both listeners back to blue, and green stopped if it was started; never interrupted. */
  async rollBack(): Promise<void> {
    const { platform } = this;
    this.observer.phase('rollback');
    await this.step(
      'Rollback',
      async () => {
        await platform.setProductionShare(0);
        await platform.routeTest('blue');
        const sample = await platform.sampleProduction?.().catch(() => undefined);
        const stopped = this.greenStarted
          ? await platform.terminate('green')
          : 'no replacement task set';
        return {
          detail: `production and test → original task set${sample ? ` (${sample})` : ''}; ${stopped}`,
        };
      },
      false,
    ).catch(() => undefined);
  }

  private async hook(event: HookEventName): Promise<void> {
    const functionName = this.plan.hooks.get(event);
    await this.step(event, async () => {
      if (!functionName) return { result: 'Skipped', detail: 'no hook in the AppSpec' };
      const begun = this.clock.now();
      const outcome = await this.alarms.whileRunning(this.platform.runHook(event, functionName));
      this.figures.hookSeconds += (this.clock.now() - begun) / 1000;
      if (outcome.status !== 'Succeeded')
        throw new Rollback(`${event} hook ${functionName} failed: ${outcome.detail}`);
      return { detail: `${functionName}: ${outcome.detail}` };
    });
    await this.alarms.check();
  }
}

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
  const release = new CodeDeployRelease(
    plan,
    platform,
    observer,
    options.clock ?? realClock,
    options.signal,
  );
  return runToEnd(release);
}

/** Runs a release forward; on the first Rollback, rolls it back. */
export async function runToEnd(release: ReleaseRun): Promise<ReleaseOutcome> {
  try {
    await release.forward();
    return { outcome: 'succeeded', events: release.events, ...release.figures };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await release.rollBack();
    return { outcome: 'rolled-back', reason, events: release.events, ...release.figures };
  }
}
