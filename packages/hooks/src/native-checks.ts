import { NATIVE_HOOK_STAGES, type NativeHookStage } from './api-calls.js';
import {
  CheckFailed,
  CheckTimedOut,
  checkEveryNode,
  releaseOf,
  type CheckSettings,
  type ListenerCheckPorts,
} from './checks.js';

/**
 * The hook behind the ECS deployment controller's contract, free of AWS SDK
 * and Lambda types so it can be tested with fakes. ECS invokes it with the
 * payload below and reads back `{ hookStatus, callBackDelay?, hookDetails? }`
 * (ECS developer guide, "Lambda hooks for Amazon ECS service deployments",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html):
 *
 * - POST_TEST_TRAFFIC_SHIFT and POST_PRODUCTION_TRAFFIC_SHIFT make the same
 *   checks as the CodeDeploy hooks (checks.ts: releaseOf, checkEveryNode);
 *   the production one then moves the image tags. A check not passed within
 *   one invocation answers IN_PROGRESS with `hookDetails` (attempt, deadline,
 *   last problem); ECS invokes again after `callBackDelay` seconds with
 *   those details, until the deadline, then the answer is FAILED.
 * - TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT are the stages ECS runs
 *   again during a rollback ("There is no dedicated ROLLBACK lifecycle
 *   stage"). Forward they answer SUCCEEDED and change nothing; on a
 *   rollback the production hook puts the live tag back on the image
 *   production returns to. The test hook changes nothing outside ECS, so it
 *   has nothing to undo.
 *
 * A rollback is told by either signal: the service deployment's status
 * (DescribeServiceDeployments: ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, …)
 * or, as the guide says, the stage's traffic weights giving the target
 * revision 0 while another revision has the traffic.
 */

/** The payload ECS invokes a lifecycle hook with. */
export interface NativeHookEvent {
  /** The unique id of this hook execution (the same on every re-invocation). */
  readonly executionId: string;
  readonly lifecycleStage: string;
  /** The service deployment: `arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>`. */
  readonly resourceArn: string;
  readonly executionDetails: {
    readonly serviceArn: string;
    /** The revision the deployment releases; stays so during a rollback. */
    readonly targetServiceRevisionArn: string;
    /** Service revision ARN → percent of test traffic (empty outside the test shift). */
    readonly testTrafficWeights?: Readonly<Record<string, number>>;
    /** Service revision ARN → percent of production traffic (empty outside the production shift). */
    readonly productionTrafficWeights?: Readonly<Record<string, number>>;
  };
  /** What the last IN_PROGRESS answer returned, merged with the hook's configured details. */
  readonly hookDetails?: Readonly<Record<string, unknown>>;
}

export type NativeHookStatus = 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';

/** What the hook answers ECS. */
export interface NativeHookResponse {
  readonly hookStatus: NativeHookStatus;
  /** Seconds before ECS invokes again (IN_PROGRESS only; ECS's default is 30). */
  readonly callBackDelay?: number;
  /** Passed back on the next invocation of this hook execution. */
  readonly hookDetails?: NativeHookDetails;
}

/** The details this hook carries between invocations of one hook execution. */
export interface NativeHookDetails {
  /** Invocations made so far. */
  readonly attempt: number;
  /** When the hook stops answering IN_PROGRESS (ISO 8601). */
  readonly deadline: string;
  /** Why the last invocation did not succeed. */
  readonly lastProblem?: string;
}

/** The service deployment, as far as the hook reads it (DescribeServiceDeployments). */
export interface ServiceDeploymentView {
  readonly status?: string;
  /** The revisions production ran before the deployment. */
  readonly sourceServiceRevisionArns: readonly string[];
  /** The revision a rollback deploys (ServiceDeployment.rollback.serviceRevisionArn). */
  readonly rollbackServiceRevisionArn?: string;
}

export interface NativeCheckSettings extends CheckSettings {
  /** From the first invocation of a hook execution, how long it may go on, milliseconds. */
  readonly deadlineMs: number;
}

export interface NativeCheckPorts extends ListenerCheckPorts {
  /** The service deployment, or undefined when ECS does not know it (a `failures` entry). */
  describeServiceDeployment(
    serviceDeploymentArn: string,
  ): Promise<ServiceDeploymentView | undefined>;
  /** The task definition a service revision runs (DescribeServiceRevisions). */
  taskDefinitionOfRevision(serviceRevisionArn: string): Promise<string | undefined>;
  /**
   * Tag the image of the released task definition's container live, and the
   * image of `servedBeforeTaskDefinitionArn`'s previous.
   */
  protectImage(
    releasedTaskDefinitionArn: string,
    servedBeforeTaskDefinitionArn: string | undefined,
    containerName: string,
    tags: { readonly liveTag: string; readonly previousTag: string },
  ): Promise<string>;
  /**
   * Put the live tag on the image a task definition's container runs, unless
   * it is there already; says what it did.
   */
  restoreLiveImage(
    taskDefinitionArn: string,
    containerName: string,
    liveTag: string,
  ): Promise<string>;
}

/** The deployment statuses of a rollback (SDK ServiceDeploymentStatus). */
export const ROLLBACK_STATUSES: readonly string[] = [
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
];

class BadEvent extends CheckFailed {}

function validateEvent(event: unknown): NativeHookEvent {
  const problems: string[] = [];
  const record = (event ?? {}) as Record<string, unknown>;
  const text = (value: unknown, field: string) => {
    if (typeof value !== 'string' || value === '') {
      problems.push(`${field} = ${JSON.stringify(value)}: expected a non-empty string`);
    }
  };
  text(record.executionId, 'executionId');
  text(record.lifecycleStage, 'lifecycleStage');
  text(record.resourceArn, 'resourceArn');
  const details = record.executionDetails;
  if (details === null || typeof details !== 'object') {
    problems.push(`executionDetails = ${JSON.stringify(details)}: expected an object`);
  } else {
    const d = details as Record<string, unknown>;
    text(d.targetServiceRevisionArn, 'executionDetails.targetServiceRevisionArn');
    for (const field of ['testTrafficWeights', 'productionTrafficWeights']) {
      const weights = d[field];
      if (weights === undefined) continue;
      if (
        weights === null ||
        typeof weights !== 'object' ||
        Object.values(weights).some((w) => typeof w !== 'number')
      ) {
        problems.push(
          `executionDetails.${field} = ${JSON.stringify(weights)}: expected revision ARNs to percentages`,
        );
      }
    }
  }
  const hookDetails = record.hookDetails;
  if (hookDetails !== undefined && (hookDetails === null || typeof hookDetails !== 'object')) {
    problems.push(`hookDetails = ${JSON.stringify(hookDetails)}: expected an object`);
  }
  if (problems.length > 0) throw new BadEvent(`the event is not ECS's: ${problems.join('; ')}`);
  return event as NativeHookEvent;
}

/** The attempt and deadline carried from the last invocation, checked. */
function carried(event: NativeHookEvent): { attempt: number; deadline?: number } {
  const details = event.hookDetails ?? {};
  const { attempt, deadline } = details;
  if (attempt === undefined && deadline === undefined) return { attempt: 0 };
  const at = typeof deadline === 'string' ? Date.parse(deadline) : NaN;
  if (
    typeof attempt !== 'number' ||
    !Number.isInteger(attempt) ||
    attempt < 1 ||
    Number.isNaN(at)
  ) {
    throw new BadEvent(
      `hookDetails = ${JSON.stringify({ attempt, deadline })}: expected attempt, a whole number from 1, and deadline, an ISO 8601 time, as this hook returns them`,
    );
  }
  return { attempt, deadline: at };
}

/** True when the stage's weights give the target no traffic and another revision some. */
function weightsShowRollback(event: NativeHookEvent, stage: NativeHookStage): boolean {
  const { executionDetails: details } = event;
  const weights =
    stage === 'TEST_TRAFFIC_SHIFT' ? details.testTrafficWeights : details.productionTrafficWeights;
  if (!weights) return false;
  const target = weights[details.targetServiceRevisionArn];
  const others = Object.entries(weights).filter(
    ([arn]) => arn !== details.targetServiceRevisionArn,
  );
  return target === 0 && others.some(([, weight]) => weight > 0);
}

/** The revision production returns to on a rollback. */
function rollbackTarget(
  event: NativeHookEvent,
  deployment: ServiceDeploymentView,
): string | undefined {
  if (deployment.rollbackServiceRevisionArn) return deployment.rollbackServiceRevisionArn;
  const weights = Object.entries(event.executionDetails.productionTrafficWeights ?? {})
    .filter(
      ([arn, weight]) => arn !== event.executionDetails.targetServiceRevisionArn && weight > 0,
    )
    .sort((a, b) => b[1] - a[1]);
  if (weights[0]) return weights[0][0];
  return deployment.sourceServiceRevisionArns.length === 1
    ? deployment.sourceServiceRevisionArns[0]
    : undefined;
}

async function deploymentOf(
  event: NativeHookEvent,
  ports: NativeCheckPorts,
): Promise<ServiceDeploymentView> {
  const deployment = await ports.describeServiceDeployment(event.resourceArn);
  if (!deployment) throw new CheckFailed(`ECS knows no service deployment ${event.resourceArn}`);
  return deployment;
}

/** TEST_TRAFFIC_SHIFT or PRODUCTION_TRAFFIC_SHIFT: nothing forward, undo on a rollback. */
async function trafficShift(
  event: NativeHookEvent,
  stage: NativeHookStage,
  settings: NativeCheckSettings,
  ports: NativeCheckPorts,
  messages: string[],
): Promise<void> {
  const deployment = await deploymentOf(event, ports);
  const byStatus = ROLLBACK_STATUSES.includes(deployment.status ?? '');
  const byWeights = weightsShowRollback(event, stage);
  if (!byStatus && !byWeights) {
    messages.push(`forward (deployment ${String(deployment.status)}): nothing to do`);
    return;
  }
  messages.push(
    `rollback (deployment ${String(deployment.status)}${byWeights ? ', the target revision has no traffic' : ''})`,
  );
  if (stage !== 'PRODUCTION_TRAFFIC_SHIFT' || !settings.protectImage) {
    messages.push('nothing to undo: this hook changes nothing outside ECS');
    return;
  }
  const returnsTo = rollbackTarget(event, deployment);
  if (!returnsTo) {
    throw new CheckFailed(
      `cannot tell which revision production returns to: ${event.resourceArn} names no rollback revision and ${deployment.sourceServiceRevisionArns.length} source revisions`,
    );
  }
  const taskDefinitionArn = await ports.taskDefinitionOfRevision(returnsTo);
  if (!taskDefinitionArn) throw new CheckFailed(`${returnsTo} names no task definition`);
  messages.push(
    await ports.restoreLiveImage(
      taskDefinitionArn,
      settings.containerName,
      settings.protectImage.liveTag,
    ),
  );
}

/** POST_TEST_TRAFFIC_SHIFT or POST_PRODUCTION_TRAFFIC_SHIFT: the checks, then the tags. */
async function afterShift(
  event: NativeHookEvent,
  settings: NativeCheckSettings,
  ports: NativeCheckPorts,
  invocationDeadline: number,
  messages: string[],
): Promise<void> {
  const target = event.executionDetails.targetServiceRevisionArn;
  const release = await releaseOf(
    await ports.taskDefinitionOfRevision(target),
    target,
    settings,
    ports,
  );
  await checkEveryNode(release, settings, ports, invocationDeadline, messages);
  const { taskDefinitionArn } = release;
  if (!settings.protectImage || taskDefinitionArn === undefined) return;
  const deployment = await deploymentOf(event, ports);
  const sources = deployment.sourceServiceRevisionArns.filter((arn) => arn !== target);
  const servedBefore =
    sources.length === 1 ? await ports.taskDefinitionOfRevision(sources[0]!) : undefined;
  if (sources.length !== 1) {
    messages.push(`${sources.length} source revisions: ${settings.protectImage.previousTag} stays`);
  }
  messages.push(
    await ports.protectImage(
      taskDefinitionArn,
      servedBefore,
      settings.containerName,
      settings.protectImage,
    ),
  );
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Answer one invocation of a lifecycle hook. Never throws: whatever goes
 * wrong becomes FAILED (for good: a bad event, a release without a version)
 * or IN_PROGRESS (it may pass later: a check not passed yet, an AWS call
 * that failed) until the deadline in hookDetails, then FAILED.
 */
export async function runNativeHook(
  rawEvent: unknown,
  settings: NativeCheckSettings,
  ports: NativeCheckPorts,
): Promise<NativeHookResponse & { readonly messages: readonly string[] }> {
  const started = ports.now();
  const messages: string[] = [];
  let attempt = 1;
  let deadline = started + settings.deadlineMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stage: unknown = (rawEvent as { lifecycleStage?: unknown } | undefined)?.lifecycleStage;
  const finish = (response: NativeHookResponse) => {
    clearTimeout(timer);
    for (const line of messages) ports.log(line);
    // One line a log query can filter on: which hook, which attempt, the answer.
    ports.log(JSON.stringify({ hook: settings.lifecycleEvent, stage, attempt, ...response }));
    return { ...response, messages };
  };
  let event: NativeHookEvent;
  try {
    event = validateEvent(rawEvent);
    const previous = carried(event);
    attempt = previous.attempt + 1;
    deadline = previous.deadline ?? deadline;
  } catch (error) {
    messages.push(`failed: ${message(error)}`);
    return finish({ hookStatus: 'FAILED' });
  }
  stage = event.lifecycleStage;
  const allowed: readonly string[] = NATIVE_HOOK_STAGES[settings.lifecycleEvent];
  messages.push(
    `${event.lifecycleStage} (${settings.lifecycleEvent} checks) attempt ${attempt}, execution ${event.executionId}, ${event.resourceArn}`,
  );
  const failed = (reason: string) => {
    messages.push(`failed: ${reason}`);
    // ECS acts on the status alone; the details say why, to whoever invoked.
    return finish({
      hookStatus: 'FAILED',
      hookDetails: { attempt, deadline: new Date(deadline).toISOString(), lastProblem: reason },
    });
  };
  if (!allowed.includes(event.lifecycleStage)) {
    return failed(
      `lifecycleStage = ${JSON.stringify(event.lifecycleStage)}: this hook runs at ${allowed.join(' and ')} only`,
    );
  }
  // An invocation that arrives after the deadline still makes its checks
  // once, within its budget: the answer then says what failed last.
  const invocationDeadline =
    deadline > started
      ? Math.min(started + settings.budgetMs, deadline)
      : started + settings.budgetMs;
  try {
    const overrun = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CheckTimedOut(`the checks did not finish within ${settings.budgetMs} ms`)),
        Math.max(1, invocationDeadline - started),
      );
    });
    const work =
      stage === allowed[0]
        ? trafficShift(event, allowed[0] as NativeHookStage, settings, ports, messages)
        : afterShift(event, settings, ports, invocationDeadline, messages);
    await Promise.race([work, overrun]);
    messages.push('succeeded');
    return finish({ hookStatus: 'SUCCEEDED' });
  } catch (error) {
    const problem = message(error);
    const forGood = error instanceof CheckFailed && !(error instanceof CheckTimedOut);
    if (forGood || ports.now() >= deadline) {
      return failed(
        `${problem}${forGood ? '' : ` (deadline ${new Date(deadline).toISOString()} passed after ${attempt} attempt(s))`}`,
      );
    }
    messages.push(`not yet: ${problem}; ECS invokes again`);
    return finish({
      hookStatus: 'IN_PROGRESS',
      callBackDelay: Math.max(1, Math.ceil(settings.retryDelayMs / 1000)),
      hookDetails: { attempt, deadline: new Date(deadline).toISOString(), lastProblem: problem },
    });
  }
}
