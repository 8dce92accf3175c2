/**
 * Every AWS API call the handler makes for the LiveRuleGuard (resolve-rules.ts and
 * the rollback-replay check), with the IAM action and the resource it is
 * scoped to. lib/constructs/live-rule-guard.ts writes the role from this
 * list, and test/live-rules.test.ts runs the handler and compares the calls
 * it made with it.
 *
 * Resource types per call, Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 * (ListServices: no resource type, narrowed by the ecs:cluster condition key;
 * DescribeServices, ListServiceDeployments: service; DescribeServiceDeployments: service-deployment),
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
 * (DescribeListeners, DescribeRules: no resource type, so "*"),
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html
 * (DescribeStacks: stack).
 */
export const RULE_GUARD_API_CALLS = [
  { operation: 'ListServices', action: 'ecs:ListServices', scope: 'cluster' },
  {
    operation: 'DescribeServices',
    action: 'ecs:DescribeServices',
    scope: 'clusterServices',
  },
  {
    operation: 'ListServiceDeployments',
    action: 'ecs:ListServiceDeployments',
    scope: 'clusterServices',
  },
  {
    operation: 'DescribeServiceDeployments',
    action: 'ecs:DescribeServiceDeployments',
    scope: 'clusterServiceDeployments',
  },
  {
    operation: 'DescribeListeners',
    action: 'elasticloadbalancing:DescribeListeners',
    scope: 'any',
  },
  { operation: 'DescribeRules', action: 'elasticloadbalancing:DescribeRules', scope: 'any' },
  { operation: 'DescribeStacks', action: 'cloudformation:DescribeStacks', scope: 'stack' },
] as const;

export type RuleGuardApiCall = (typeof RULE_GUARD_API_CALLS)[number];
