/**
 * Every AWS API call the LiveTrafficGuard's handler makes, with the IAM
 * action that allows it and the resource it is scoped to. The construct
 * writes the handler's role from this list (as the hooks' role is written
 * from @webapp-color/hooks' api-calls), and test/live-traffic.test.ts runs the
 * handler and compares the calls it made with the role.
 *
 * Resource types per call, Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
 * (ListDeploymentGroups: application; ListDeployments: deploymentgroup),
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
 * (DescribeListeners: no resource type, so "*"),
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html
 * (DescribeStacks: stack).
 */
export const GUARD_API_CALLS = [
  {
    operation: 'ListDeploymentGroups',
    action: 'codedeploy:ListDeploymentGroups',
    scope: 'application',
  },
  {
    operation: 'ListDeployments',
    action: 'codedeploy:ListDeployments',
    scope: 'applicationDeploymentGroups',
  },
  {
    operation: 'DescribeListeners',
    action: 'elasticloadbalancing:DescribeListeners',
    scope: 'any',
  },
  {
    operation: 'DescribeStacks',
    action: 'cloudformation:DescribeStacks',
    scope: 'stack',
  },
] as const;

export type GuardApiCall = (typeof GUARD_API_CALLS)[number];
