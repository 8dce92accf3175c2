/**
 * Every AWS API call the hooks make, with the IAM action that allows it and
 * the resource it is scoped to. The CDK construct writes the hook role's
 * policy from this list, and the bundle test runs the hook against the
 * local stand-in and compares the calls it made with it.
 *
 * Resource types per call: Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
 * (GetDeployment and PutLifecycleEventHookExecutionStatus: deploymentgroup;
 * GetApplicationRevision: application),
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 * and https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * (DescribeTaskDefinition, DescribeNetworkInterfaces: no resource type, so "*").
 */
export const HOOK_API_CALLS = [
  {
    service: 'codedeploy',
    operation: 'GetDeployment',
    action: 'codedeploy:GetDeployment',
    scope: 'deploymentGroup',
  },
  {
    service: 'codedeploy',
    operation: 'GetApplicationRevision',
    action: 'codedeploy:GetApplicationRevision',
    scope: 'application',
  },
  {
    service: 'codedeploy',
    operation: 'PutLifecycleEventHookExecutionStatus',
    action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
    scope: 'deploymentGroup',
  },
  {
    service: 'ecs',
    operation: 'DescribeTaskDefinition',
    action: 'ecs:DescribeTaskDefinition',
    scope: 'any',
  },
  {
    service: 'ec2',
    operation: 'DescribeNetworkInterfaces',
    action: 'ec2:DescribeNetworkInterfaces',
    scope: 'any',
  },
] as const;

export type HookApiCall = (typeof HOOK_API_CALLS)[number];
