/**
 * Every AWS API call the hooks make, with the IAM action that allows it and
 * the resource it is scoped to. The CDK construct writes the hook role's
 * policy from this list, and the bundle test runs the hook against the
 * local stand-in and compares the calls it made with it.
 *
 * Resource types per call: Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
 * (GetDeployment, GetDeploymentGroup: deploymentgroup; GetApplicationRevision: application;
 * PutLifecycleEventHookExecutionStatus: no resource type listed, scoped to
 * this deployment group all the same, as aws-cdk-lib's own
 * grantPutLifecycleEventHookExecutionStatus scopes it; only a real account
 * confirms that scope, see the README),
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 * and https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * (DescribeServices: service; DescribeTaskDefinition, DescribeNetworkInterfaces: no
 * resource type, so "*"),
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
 * (BatchGetImage, PutImage: repository).
 *
 * `by` names the hooks that make the call: only the AfterAllowTraffic hook
 * tags the image production runs and the one it served before (its
 * service's original task set; see image-tags.ts).
 */
export type HookLifecycleEvent = 'AfterAllowTestTraffic' | 'AfterAllowTraffic';

const BOTH = ['AfterAllowTestTraffic', 'AfterAllowTraffic'] as const;
const PRODUCTION_ONLY = ['AfterAllowTraffic'] as const;

export const HOOK_API_CALLS = [
  {
    service: 'codedeploy',
    operation: 'GetDeployment',
    action: 'codedeploy:GetDeployment',
    scope: 'deploymentGroup',
    by: BOTH,
  },
  {
    service: 'codedeploy',
    operation: 'GetApplicationRevision',
    action: 'codedeploy:GetApplicationRevision',
    scope: 'application',
    by: BOTH,
  },
  {
    service: 'codedeploy',
    operation: 'PutLifecycleEventHookExecutionStatus',
    action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
    scope: 'deploymentGroup',
    by: BOTH,
  },
  {
    service: 'codedeploy',
    operation: 'GetDeploymentGroup',
    action: 'codedeploy:GetDeploymentGroup',
    scope: 'deploymentGroup',
    by: PRODUCTION_ONLY,
    tagging: true,
  },
  {
    service: 'ecs',
    operation: 'DescribeServices',
    action: 'ecs:DescribeServices',
    scope: 'service',
    by: PRODUCTION_ONLY,
    tagging: true,
  },
  {
    service: 'ecs',
    operation: 'DescribeTaskDefinition',
    action: 'ecs:DescribeTaskDefinition',
    scope: 'any',
    by: BOTH,
  },
  {
    service: 'ec2',
    operation: 'DescribeNetworkInterfaces',
    action: 'ec2:DescribeNetworkInterfaces',
    scope: 'any',
    by: BOTH,
  },
  {
    service: 'ecr',
    operation: 'BatchGetImage',
    action: 'ecr:BatchGetImage',
    scope: 'repository',
    by: PRODUCTION_ONLY,
    tagging: true,
  },
  {
    service: 'ecr',
    operation: 'PutImage',
    action: 'ecr:PutImage',
    scope: 'repository',
    by: PRODUCTION_ONLY,
    tagging: true,
  },
] as const;

/**
 * The calls one hook makes; those marked `tagging` only when it tags images
 * (LIVE_IMAGE_TAG set, which the construct does with an image repository).
 */
export function hookApiCalls(
  lifecycleEvent: HookLifecycleEvent,
  tagging: boolean = lifecycleEvent === 'AfterAllowTraffic',
): readonly HookApiCall[] {
  return HOOK_API_CALLS.filter(
    (call) =>
      (call.by as readonly string[]).includes(lifecycleEvent) && (tagging || !('tagging' in call)),
  );
}

export type HookApiCall = (typeof HOOK_API_CALLS)[number];

/**
 * The stages ECS invokes each kind of hook at, under the ECS deployment
 * controller: the test-traffic checks around the test listener's shift,
 * the production checks around production's. The first of each pair is a
 * traffic-shift stage, which ECS runs again during a rollback (ECS
 * developer guide, "Lambda hooks for Amazon ECS service deployments",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html).
 */
export const NATIVE_HOOK_STAGES = {
  AfterAllowTestTraffic: ['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'],
  AfterAllowTraffic: ['PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
} as const satisfies Record<HookLifecycleEvent, readonly [string, string]>;

export type NativeHookStage = (typeof NATIVE_HOOK_STAGES)[HookLifecycleEvent][number];

/**
 * Every AWS API call the hooks make under the ECS deployment controller
 * (native-checks.ts, aws-native.ts), as HOOK_API_CALLS does for CodeDeploy.
 * Resource types, Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 * (DescribeServiceDeployments: service-deployment; DescribeServiceRevisions:
 * service-revision; DescribeTaskDefinition: none, so "*"), and the EC2 and
 * ECR pages above. Both kinds read the deployment (a rollback?) and the
 * target revision (the release); only the production hook, when it tags
 * images, reads the images and puts the tags, forward and on a rollback.
 */
export const NATIVE_HOOK_API_CALLS = [
  {
    service: 'ecs',
    operation: 'DescribeServiceDeployments',
    action: 'ecs:DescribeServiceDeployments',
    scope: 'serviceDeployments',
    by: BOTH,
  },
  {
    service: 'ecs',
    operation: 'DescribeServiceRevisions',
    action: 'ecs:DescribeServiceRevisions',
    scope: 'serviceRevisions',
    by: BOTH,
  },
  {
    service: 'ecs',
    operation: 'DescribeTaskDefinition',
    action: 'ecs:DescribeTaskDefinition',
    scope: 'any',
    by: BOTH,
  },
  {
    service: 'ec2',
    operation: 'DescribeNetworkInterfaces',
    action: 'ec2:DescribeNetworkInterfaces',
    scope: 'any',
    by: BOTH,
  },
  {
    service: 'ecr',
    operation: 'BatchGetImage',
    action: 'ecr:BatchGetImage',
    scope: 'repository',
    by: PRODUCTION_ONLY,
    tagging: true,
  },
  {
    service: 'ecr',
    operation: 'PutImage',
    action: 'ecr:PutImage',
    scope: 'repository',
    by: PRODUCTION_ONLY,
    tagging: true,
  },
] as const;

export type NativeHookApiCall = (typeof NATIVE_HOOK_API_CALLS)[number];

/** The calls one native hook makes; those marked `tagging` only when it tags images. */
export function nativeHookApiCalls(
  lifecycleEvent: HookLifecycleEvent,
  tagging: boolean = lifecycleEvent === 'AfterAllowTraffic',
): readonly NativeHookApiCall[] {
  return NATIVE_HOOK_API_CALLS.filter(
    (call) =>
      (call.by as readonly string[]).includes(lifecycleEvent) && (tagging || !('tagging' in call)),
  );
}
