import type {
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceResponse,
} from 'aws-lambda';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { isRollbackReplay } from './rollback-replay.js';

/**
 * Where one listener (or traffic rule) forwards: `live` takes all traffic,
 * `idle` stays in the forward action at weight 0. CodeDeploy leaves a
 * listener so after a release (`ForwardConfig.TargetGroups` [{live, 100},
 * {idle, 0}], no top-level TargetGroupArn), so that the next deployment's
 * replacement task set is registered and health-checked behind the
 * listener during Install; ECS leaves its rules the same way.
 */
export interface ListenerTargets {
  readonly live: string;
  readonly idle: string;
}

export interface LiveTargetGroups {
  readonly production: ListenerTargets;
  readonly test: ListenerTargets;
}

export type GuardResponse = Pick<
  CloudFormationCustomResourceResponse,
  'PhysicalResourceId' | 'Data'
>;

/** The attributes both guards answer; lib/constructs/guard-provider.ts reads them. */
export const LIVE_ANSWER_ATTRIBUTES = {
  productionLive: 'ProductionTargetGroupArn',
  productionIdle: 'ProductionIdleTargetGroupArn',
  testLive: 'TestTargetGroupArn',
  testIdle: 'TestIdleTargetGroupArn',
} as const;

/**
 * One guard event from start to answer: a Delete answers at once (nothing
 * to undo); a Create or Update reads the properties, asks the stack whether
 * this is CloudFormation's rollback replay, resolves the live target
 * groups (or throws, which fails the stack update with the message) and
 * logs and answers them as the resource's attributes.
 */
export async function answerLiveTargets<Input>(
  event: CloudFormationCustomResourceEvent,
  options: {
    readonly physicalResourceId: string;
    readonly input: (properties: Record<string, unknown>) => Input;
    readonly cloudformation: CloudFormationClient;
    readonly resolve: (input: Input, rollbackReplay: boolean) => Promise<LiveTargetGroups>;
    /** More attributes a guard answers beside the target groups (read after them). */
    readonly more?: (input: Input) => Promise<Readonly<Record<string, string>>>;
  },
): Promise<GuardResponse> {
  const { physicalResourceId } = options;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalResourceId };
  const input = options.input(event.ResourceProperties);
  const rollbackReplay = await isRollbackReplay(event, options.cloudformation);
  const live = await options.resolve(input, rollbackReplay);
  const more = (await options.more?.(input)) ?? {};
  console.log(JSON.stringify({ requestType: event.RequestType, rollbackReplay, ...live, ...more }));
  return {
    PhysicalResourceId: physicalResourceId,
    Data: {
      [LIVE_ANSWER_ATTRIBUTES.productionLive]: live.production.live,
      [LIVE_ANSWER_ATTRIBUTES.productionIdle]: live.production.idle,
      [LIVE_ANSWER_ATTRIBUTES.testLive]: live.test.live,
      [LIVE_ANSWER_ATTRIBUTES.testIdle]: live.test.idle,
      ...more,
    },
  };
}
