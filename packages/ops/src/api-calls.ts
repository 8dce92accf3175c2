/**
 * Every AWS API call `verify` and `releases` make, with the IAM action that
 * allows it: the read-only policy an operator needs (README), and what
 * test/read-only.test.ts compares the calls made against the stand-in with
 * (as infra's hooks' role is written from lambda/hooks/api-calls.ts and
 * proven from the calls they make). Every operation is a Describe, Get or
 * List: nothing here can change the account.
 */
export const OPS_API_CALLS = [
  { service: 'sts', operation: 'GetCallerIdentity', action: 'sts:GetCallerIdentity' },
  {
    service: 'cloudformation',
    operation: 'DescribeStacks',
    action: 'cloudformation:DescribeStacks',
  },
  {
    service: 'cloudformation',
    operation: 'ListStackResources',
    action: 'cloudformation:ListStackResources',
  },
  {
    service: 'codestar-connections',
    operation: 'GetConnection',
    action: 'codestar-connections:GetConnection',
  },
  { service: 'acm', operation: 'DescribeCertificate', action: 'acm:DescribeCertificate' },
  {
    service: 'elasticloadbalancing',
    operation: 'DescribeLoadBalancers',
    action: 'elasticloadbalancing:DescribeLoadBalancers',
  },
  {
    service: 'elasticloadbalancing',
    operation: 'DescribeListeners',
    action: 'elasticloadbalancing:DescribeListeners',
  },
  {
    service: 'elasticloadbalancing',
    operation: 'DescribeRules',
    action: 'elasticloadbalancing:DescribeRules',
  },
  {
    service: 'route53',
    operation: 'ListResourceRecordSets',
    action: 'route53:ListResourceRecordSets',
  },
  { service: 'codedeploy', operation: 'ListDeployments', action: 'codedeploy:ListDeployments' },
  { service: 'codedeploy', operation: 'GetDeployment', action: 'codedeploy:GetDeployment' },
  {
    service: 'codedeploy',
    operation: 'ListDeploymentTargets',
    action: 'codedeploy:ListDeploymentTargets',
  },
  {
    service: 'codedeploy',
    operation: 'GetDeploymentTarget',
    action: 'codedeploy:GetDeploymentTarget',
  },
  { service: 'ecs', operation: 'DescribeServices', action: 'ecs:DescribeServices' },
  {
    service: 'ecs',
    operation: 'ListServiceDeployments',
    action: 'ecs:ListServiceDeployments',
  },
  {
    service: 'ecs',
    operation: 'DescribeServiceDeployments',
    action: 'ecs:DescribeServiceDeployments',
  },
  {
    service: 'lambda',
    operation: 'GetFunctionConfiguration',
    action: 'lambda:GetFunctionConfiguration',
  },
  { service: 'ecr', operation: 'DescribeImages', action: 'ecr:DescribeImages' },
  { service: 'cloudwatch', operation: 'DescribeAlarms', action: 'cloudwatch:DescribeAlarms' },
  { service: 'sns', operation: 'ListSubscriptionsByTopic', action: 'sns:ListSubscriptionsByTopic' },
  {
    service: 'codepipeline',
    operation: 'ListPipelineExecutions',
    action: 'codepipeline:ListPipelineExecutions',
  },
  {
    service: 'codepipeline',
    operation: 'ListActionExecutions',
    action: 'codepipeline:ListActionExecutions',
  },
] as const;

export type OpsApiCall = (typeof OPS_API_CALLS)[number];

/** Read-only by name: AWS's read actions are Describe*, Get* and List*. */
export const READ_ONLY_OPERATION = /^(Describe|Get|List)[A-Z]/;
