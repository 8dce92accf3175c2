import { randomUUID } from 'node:crypto';
import { realClock, type Clock } from './clock.js';
import { describeGate, type Gatekeeper, type GateRecord, type GateRequest } from './gates.js';
import type { TaskSetColor } from './haproxy.js';
import {
  ReleaseRun,
  Rollback,
  runToEnd,
  type CommonReleasePlan,
  type EventRecord,
  type EventResult,
  type ReleaseObserver,
  type ReleaseOutcome,
  type ReleasePlatform,
} from './lifecycle.js';
import {
  DEFAULT_CALLBACK_DELAY_SECONDS,
  NATIVE_ROLLBACK_STAGES,
  type NativeHook,
  type NativeHookResult,
  type NativeHookStage,
  type NativeHookStatus,
  type ServiceDeploymentStatus,
} from './native-stages.js';

/** The ARNs ECS puts in a hook's payload. */
export interface NativeDeploymentIdentity {
  readonly serviceArn: string;
  /** The service deployment (the payload's resourceArn). */
  readonly serviceDeploymentArn: string;
  /** The service revision of each part: blue the source, green the target. */
  readonly revisionArns: Readonly<Record<TaskSetColor, string>>;
}

/** A release under the ECS controller, as the service's DeploymentConfiguration sets it. */
export interface NativeReleasePlan extends CommonReleasePlan {
  /** The service's lifecycle hooks (DeploymentConfiguration.LifecycleHooks), in template order. */
  readonly hooks: readonly NativeHook[];
  /** Scaled bake time (BakeTimeInMinutes): both revisions up, alarms still roll back. */
  readonly bakeSeconds: number;
  /** The time scale: a hook's callBackDelay (or ECS's default 30 s) is waited × this. */
  readonly scale: number;
  readonly identity: NativeDeploymentIdentity;
  /**
   * deployment.pause: a PAUSE lifecycle hook; ECS stops at the end of
   * `stage` until ContinueServiceDeployment (CONTINUE or ROLLBACK) or its
   * timeout (onTimeout). Timeout scaled like every other wait.
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
   */
  readonly pause?: {
    readonly stage: NativeHookStage;
    readonly timeoutMinutes: number;
    readonly onTimeout: 'CONTINUE' | 'ROLLBACK';
  };
}

/** What answers a PAUSE hook, and where the paused deployment is shown (aws-local's world). */
export interface NativeGates {
  readonly gatekeeper: Gatekeeper;
  /** Each gate as it was answered (for the summary). */
  readonly records: GateRecord[];
  /** The deployment reached its PAUSE hook (AWAITING_ACTION). */
  readonly paused?: (request: GateRequest) => void;
  /** The PAUSE hook was answered (ContinueServiceDeployment, or ECS at its timeout). */
  readonly answered?: (record: GateRecord) => Promise<void>;
}

type StageOutcome = {
  result?: EventResult;
  detail: string;
  extra?: Pick<EventRecord, 'invocations' | 'hookStatus' | 'rollback'>;
};

/** The invocations of one stage's hooks, added up over its runs (PRODUCTION_TRAFFIC_SHIFT: one per step). */
interface StageHooks {
  invocations: number;
  hookStatus?: NativeHookStatus;
  details: string[];
}

/**
 * One release in ECS's order (RECONCILE_SERVICE … CLEAN_UP), on the same
 * platform, alarms and shift as the CodeDeploy one: only the order, the
 * hooks' contract and the rollback differ.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
 */
class NativeRelease extends ReleaseRun<NativeReleasePlan> {
  gates?: NativeGates;

  private readonly weights = {
    test: { blue: 100, green: 0 } as Record<TaskSetColor, number>,
    production: { blue: 100, green: 0 } as Record<TaskSetColor, number>,
  };

  async forward(): Promise<void> {
    await this.alarms.check();
    // Only a deployment started while more than one service revision is
    // ACTIVE reconciles; here blue is the one ACTIVE revision.
    await this.step('RECONCILE_SERVICE', () =>
      Promise.resolve({
        result: 'Skipped',
        detail: 'one ACTIVE service revision (blue): ECS reconciles only with more than one',
      }),
    );
    await this.hookStage('PRE_SCALE_UP');
    await this.step('SCALE_UP', () => this.install());
    await this.hookStage('POST_SCALE_UP');
    await this.step('TEST_TRAFFIC_SHIFT', async () => {
      this.observer.phase('test-traffic');
      await this.platform.routeTest('green');
      this.weights.test = { blue: 0, green: 100 };
      return this.withHooks('TEST_TRAFFIC_SHIFT', 'test rule → green (100)');
    });
    await this.hookStage('POST_TEST_TRAFFIC_SHIFT');
    await this.step('PRODUCTION_TRAFFIC_SHIFT', async () => {
      const hooks: StageHooks = { invocations: 0, details: [] };
      const { detail } = await this.shiftProduction(async (greenPercent) => {
        this.weights.production = { blue: 100 - greenPercent, green: greenPercent };
        // A PRODUCTION_TRAFFIC_SHIFT hook runs at every production step.
        // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-linear.html
        await this.runStageHooks('PRODUCTION_TRAFFIC_SHIFT', 'IN_PROGRESS', hooks);
      });
      const paused = await this.pauseAt('PRODUCTION_TRAFFIC_SHIFT');
      return this.stageOutcome(hooks, detail, paused);
    });
    await this.hookStage('POST_PRODUCTION_TRAFFIC_SHIFT');
    await this.step('BAKE_TIME', async () => {
      this.observer.phase('bake');
      await this.watch(this.plan.bakeSeconds);
      return {
        detail: `both revisions up ${this.plan.bakeSeconds} s (bake time), alarms watched`,
      };
    });
    await this.step('CLEAN_UP', async () => {
      const begun = this.clock.now();
      const detail = await this.platform.terminate('blue');
      this.figures.drainSeconds = (this.clock.now() - begun) / 1000;
      return { detail: `blue scaled down: ${detail}` };
    });
  }

  /**
   * ECS's rollback: production and test back to blue, each through its
   * traffic-shift stage again with its hooks (the service deployment in
   * ROLLBACK_IN_PROGRESS), then green scaled down.
   */
  async rollBack(): Promise<void> {
    const { platform } = this;
    this.observer.phase('rollback');
    for (const stage of NATIVE_ROLLBACK_STAGES) {
      await this.step(
        stage,
        async () => {
          if (stage === 'PRODUCTION_TRAFFIC_SHIFT') {
            await platform.setProductionShare(0);
            this.weights.production = { blue: 100, green: 0 };
          } else {
            await platform.routeTest('blue');
            this.weights.test = { blue: 100, green: 0 };
          }
          const sample =
            stage === 'PRODUCTION_TRAFFIC_SHIFT'
              ? await platform.sampleProduction?.().catch(() => undefined)
              : undefined;
          const moved = `${stage === 'PRODUCTION_TRAFFIC_SHIFT' ? 'production' : 'test'} rule → blue (100)${sample ? ` (${sample})` : ''}`;
          const hooks: StageHooks = { invocations: 0, details: [] };
          let failure: string | undefined;
          await this.runStageHooks(stage, 'ROLLBACK_IN_PROGRESS', hooks).catch((error: unknown) => {
            failure = error instanceof Error ? error.message : String(error);
          });
          const outcome = this.stageOutcome(hooks, moved);
          return {
            ...outcome,
            ...(failure ? { result: 'Failed' as const, detail: `${moved}; ${failure}` } : {}),
            extra: { ...outcome.extra, rollback: true },
          };
        },
        false,
      ).catch(() => undefined);
    }
    await this.step(
      'Rollback',
      async () => {
        const stopped = this.greenStarted
          ? await platform.terminate('green')
          : 'no green service revision';
        return { detail: `traffic on blue; green scaled down: ${stopped}` };
      },
      false,
    ).catch(() => undefined);
  }

  /** A stage that is only its hooks (PRE_SCALE_UP, POST_…). */
  private async hookStage(stage: NativeHookStage): Promise<void> {
    await this.step(stage, () => this.withHooks(stage));
    await this.alarms.check();
  }

  /** The stage's hooks after its action (if any), as the stage's outcome. */
  private async withHooks(stage: NativeHookStage, action?: string): Promise<StageOutcome> {
    const hooks: StageHooks = { invocations: 0, details: [] };
    await this.runStageHooks(stage, 'IN_PROGRESS', hooks);
    const paused = await this.pauseAt(stage);
    if (hooks.invocations === 0 && !action && !paused) {
      return { result: 'Skipped', detail: 'no lifecycle hook at this stage' };
    }
    return this.stageOutcome(hooks, action, paused);
  }

  /**
   * The PAUSE hook, where deployment.pause puts one: after the stage's own
   * hooks, the deployment waits (alarms still watched) until it is
   * continued, rolled back or times out (onTimeout). A rollback answer rolls
   * the deployment back as a failed hook does. Returns the stage's note.
   */
  private async pauseAt(stage: NativeHookStage): Promise<string | undefined> {
    const { pause } = this.plan;
    if (!pause || pause.stage !== stage) return undefined;
    if (!this.gates) {
      throw new Rollback(`${stage}: a PAUSE hook and nothing to answer it`);
    }
    const request: GateRequest = {
      kind: 'pause',
      stage,
      before: 'production traffic',
      timeoutMinutes: pause.timeoutMinutes,
      timeoutSeconds: pause.timeoutMinutes * 60 * this.plan.scale,
      onTimeout: pause.onTimeout === 'CONTINUE' ? 'continue' : 'rollback',
    };
    this.observer.phase('pause');
    this.gates.paused?.(request);
    // ECS still watches the alarms while the deployment is paused.
    const record = await this.gates.gatekeeper.wait(request, () => this.alarms.check());
    this.gates.records.push(record);
    await this.gates.answered?.(record);
    const by =
      record.answer.by === 'command'
        ? `\`pnpm rehearse ${record.answer.command}\` (${record.answer.user}, pid ${record.answer.pid})`
        : record.answer.by;
    const said = `PAUSE ${record.decision === 'continue' ? 'CONTINUE' : 'ROLLBACK'} by ${by} after ${record.waitedSeconds.toFixed(1)} s`;
    if (record.decision === 'rollback') {
      throw new Rollback(`${stage}: ${describeGate(request)}: ${said}`);
    }
    return said;
  }

  /** The stage's action, its hooks' answers, then its pause (which comes after the hooks). */
  private stageOutcome(hooks: StageHooks, action?: string, paused?: string): StageOutcome {
    const detail = [action, ...hooks.details, paused].filter(Boolean).join('; ');
    return {
      detail,
      ...(hooks.invocations > 0
        ? {
            extra: {
              invocations: hooks.invocations,
              ...(hooks.hookStatus ? { hookStatus: hooks.hookStatus } : {}),
            },
          }
        : {}),
    };
  }

  /**
   * Every hook of the stage, one after the other, each until it returns
   * SUCCEEDED: IN_PROGRESS is invoked again after its callBackDelay (ECS's
   * default 30 s), with the hookDetails it returned; FAILED, no valid
   * hookStatus, an error or a timeout throws the Rollback (while rolling
   * back, that is recorded and the rollback goes on).
   */
  private async runStageHooks(
    stage: NativeHookStage,
    deploymentStatus: ServiceDeploymentStatus,
    into: StageHooks,
  ): Promise<void> {
    const rollingBack = deploymentStatus === 'ROLLBACK_IN_PROGRESS';
    for (const hook of this.plan.hooks.filter((candidate) => candidate.stages.includes(stage))) {
      const invoke = this.platform.invokeNativeHook?.bind(this.platform);
      if (!invoke) {
        throw new Rollback(`${stage}: the platform cannot invoke ECS lifecycle hooks`);
      }
      const executionId = randomUUID();
      let hookDetails = hook.hookDetails;
      let invocations = 0;
      for (;;) {
        invocations++;
        into.invocations++;
        const begun = this.clock.now();
        const invocation = invoke({
          functionName: hook.functionName,
          deploymentStatus,
          payload: {
            executionDetails: {
              testTrafficWeights: this.revisionWeights('test'),
              productionTrafficWeights: this.revisionWeights('production'),
              serviceArn: this.plan.identity.serviceArn,
              targetServiceRevisionArn: this.plan.identity.revisionArns.green,
            },
            executionId,
            lifecycleStage: stage,
            resourceArn: this.plan.identity.serviceDeploymentArn,
            ...(hookDetails ? { hookDetails } : {}),
          },
        });
        // ECS watches the alarms while a hook runs, as it does during the shift.
        const result: NativeHookResult = rollingBack
          ? await invocation
          : await this.alarms.whileRunning(invocation);
        this.figures.hookSeconds += (this.clock.now() - begun) / 1000;
        if (result.hookStatus) into.hookStatus = result.hookStatus;
        if (result.hookStatus === 'IN_PROGRESS') {
          hookDetails = result.hookDetails ?? hookDetails;
          const delay = (result.callBackDelay ?? DEFAULT_CALLBACK_DELAY_SECONDS) * this.plan.scale;
          if (rollingBack) await this.clock.sleep(delay * 1000);
          else await this.watch(delay);
          continue;
        }
        const said = `${hook.functionName}: ${result.hookStatus ?? 'no valid hookStatus'} after ${invocations} invocation${invocations === 1 ? '' : 's'}${result.detail ? ` (${result.detail.slice(0, 300)})` : ''}`;
        into.details.push(said);
        if (result.hookStatus === 'SUCCEEDED') break;
        throw new Rollback(`${stage} hook ${said}`, {
          invocations: into.invocations,
          ...(result.hookStatus ? { hookStatus: result.hookStatus } : {}),
          ...(rollingBack ? { rollback: true } : {}),
        });
      }
    }
  }

  /** A listener rule's weights by service revision ARN, as the payload carries them. */
  private revisionWeights(rule: 'test' | 'production'): Record<string, number> {
    const { revisionArns } = this.plan.identity;
    return {
      [revisionArns.blue]: this.weights[rule].blue,
      [revisionArns.green]: this.weights[rule].green,
    };
  }
}

/**
 * Runs one release the way Amazon ECS's own blue/green deployment runs it
 * (DeploymentController ECS, strategy BLUE_GREEN, CANARY or LINEAR): the
 * stages in ECS's order with their hooks, the production shift in the
 * strategy's steps, the bake time, and on a failed hook, an alarm, an
 * unhealthy green or the user, ECS's rollback.
 */
export async function runNativeRelease(
  plan: NativeReleasePlan,
  platform: ReleasePlatform,
  observer: ReleaseObserver,
  options: { clock?: Clock; signal?: AbortSignal; gates?: NativeGates } = {},
): Promise<ReleaseOutcome> {
  const release = new NativeRelease(
    plan,
    platform,
    observer,
    options.clock ?? realClock,
    options.signal,
  );
  if (options.gates) release.gates = options.gates;
  return runToEnd(release);
}
