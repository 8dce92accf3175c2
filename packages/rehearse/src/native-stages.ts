/**
 * Amazon ECS's own blue/green deployment (deployment controller `ECS`): its
 * lifecycle stages in their order, and the contract of a Lambda lifecycle
 * hook, as the ECS developer guide gives them:
 * - stages: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
 *   and ServiceDeployment.lifecycleStage,
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html
 * - hooks: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html
 *   and https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html
 */

/** The stages of a service deployment, in ECS's order. */
export const NATIVE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;
export type NativeStageName = (typeof NATIVE_STAGES)[number];

/** The stages a lifecycle hook may run at (DeploymentLifecycleHook.lifecycleStages). */
export const NATIVE_HOOK_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const satisfies readonly NativeStageName[];
export type NativeHookStage = (typeof NATIVE_HOOK_STAGES)[number];

/** The stages ECS runs again, hooks included, while it rolls a deployment back. */
export const NATIVE_ROLLBACK_STAGES = [
  'PRODUCTION_TRAFFIC_SHIFT',
  'TEST_TRAFFIC_SHIFT',
] as const satisfies readonly NativeHookStage[];

export const NATIVE_HOOK_STATUSES = ['SUCCEEDED', 'FAILED', 'IN_PROGRESS'] as const;
export type NativeHookStatus = (typeof NATIVE_HOOK_STATUSES)[number];

/** ECS re-invokes a hook that returned IN_PROGRESS after this long unless it says otherwise. */
export const DEFAULT_CALLBACK_DELAY_SECONDS = 30;

/** A service deployment's status while the hooks run (ServiceDeployment.status). */
export type ServiceDeploymentStatus = 'IN_PROGRESS' | 'ROLLBACK_IN_PROGRESS';

/** The event ECS invokes a lifecycle hook with. */
export interface NativeHookPayload {
  readonly executionDetails: {
    /** Weight per service revision ARN on the test listener rule. */
    readonly testTrafficWeights: Readonly<Record<string, number>>;
    /** Weight per service revision ARN on the production listener rule. */
    readonly productionTrafficWeights: Readonly<Record<string, number>>;
    readonly serviceArn: string;
    readonly targetServiceRevisionArn: string;
  };
  /** One per invocation series of a hook at a stage; kept across IN_PROGRESS re-invocations. */
  readonly executionId: string;
  readonly lifecycleStage: NativeHookStage;
  /** The service deployment's ARN. */
  readonly resourceArn: string;
  /** The hook's configured HookDetails, or what its last IN_PROGRESS returned. */
  readonly hookDetails?: Readonly<Record<string, unknown>>;
}

/** One invocation the release asks the platform for. */
export interface NativeHookInvocation {
  /** The function's name (FunctionName, or the logical id where CloudFormation names it). */
  readonly functionName: string;
  readonly payload: NativeHookPayload;
  /** The service deployment's status as DescribeServiceDeployments answers it meanwhile. */
  readonly deploymentStatus: ServiceDeploymentStatus;
}

/**
 * What the hook returned: a valid hookStatus, or none (a function that
 * failed, timed out or returned something else: ECS rolls back).
 */
export interface NativeHookResult {
  readonly hookStatus?: NativeHookStatus;
  /** Seconds until ECS invokes again (IN_PROGRESS). */
  readonly callBackDelay?: number;
  readonly hookDetails?: Readonly<Record<string, unknown>>;
  /** What the function said (its messages, else its last log line). */
  readonly detail: string;
}

/** A hook of the service: a function and the stages it runs at. */
export interface NativeHook {
  readonly functionName: string;
  readonly stages: readonly NativeHookStage[];
  /** The configured HookDetails (CloudFormation writes them as a JSON string). */
  readonly hookDetails?: Readonly<Record<string, unknown>>;
}
