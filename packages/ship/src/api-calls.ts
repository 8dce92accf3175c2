/**
 * Every AWS API call the shipping program makes, with the IAM action that
 * allows it and the resource it is scoped to. The CDK app writes the Deploy
 * action's role from this list (infra/lib/constructs/release-pipeline.ts),
 * and test/api-calls.test.ts runs the program and compares the calls it made
 * with it.
 *
 * Resource types per call, Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 * (DescribeServices, UpdateService, ListServiceDeployments: service;
 * DescribeServiceDeployments: service-deployment; DescribeServiceRevisions:
 * service-revision; RegisterTaskDefinition, DescribeTaskDefinition,
 * DeregisterTaskDefinition: no resource type, so "*"; TagResource: task-definition, with the
 * ecs:CreateAction condition key, which ECS checks when tags are given to
 * RegisterTaskDefinition),
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * (iam:PassRole, which RegisterTaskDefinition needs for the task and
 * execution roles: role, with iam:PassedToService).
 */
export const SHIP_API_CALLS = [
  { operation: 'DescribeServices', action: 'ecs:DescribeServices', scope: 'service' },
  { operation: 'DescribeTaskDefinition', action: 'ecs:DescribeTaskDefinition', scope: 'any' },
  { operation: 'RegisterTaskDefinition', action: 'ecs:RegisterTaskDefinition', scope: 'any' },
  {
    operation: 'DeregisterTaskDefinition',
    action: 'ecs:DeregisterTaskDefinition',
    scope: 'any',
  },
  { operation: 'UpdateService', action: 'ecs:UpdateService', scope: 'service' },
  { operation: 'ListServiceDeployments', action: 'ecs:ListServiceDeployments', scope: 'service' },
  {
    operation: 'DescribeServiceDeployments',
    action: 'ecs:DescribeServiceDeployments',
    scope: 'serviceDeployments',
  },
  {
    operation: 'DescribeServiceRevisions',
    action: 'ecs:DescribeServiceRevisions',
    scope: 'serviceRevisions',
  },
] as const;

/**
 * What a call needs besides its own action: RegisterTaskDefinition with tags
 * also needs ecs:TagResource on the new revision, and with a task role and
 * an execution role, iam:PassRole on both (to ecs-tasks.amazonaws.com).
 */
export const SHIP_IMPLIED_PERMISSIONS = [
  {
    by: 'RegisterTaskDefinition',
    action: 'ecs:TagResource',
    scope: 'taskDefinitionFamily',
    condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
  },
  {
    by: 'RegisterTaskDefinition',
    action: 'iam:PassRole',
    scope: 'taskRoles',
    condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
  },
] as const;

export type ShipApiCall = (typeof SHIP_API_CALLS)[number];
export type ShipScope = ShipApiCall['scope'] | (typeof SHIP_IMPLIED_PERMISSIONS)[number]['scope'];

/**
 * The one call made before any ECS call when SHIP_ROLE_ARN is set (a
 * promoted environment in another account): the Deploy action's role may
 * assume that role and nothing else; the ECS calls above are then granted to
 * the assumed role, in its account.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html
 */
export const SHIP_ASSUME_ROLE_CALL = {
  operation: 'AssumeRole',
  action: 'sts:AssumeRole',
  scope: 'shipRole',
} as const;

/**
 * The variable that names a role for the program to deploy with: a promoted
 * environment in another account (infra/docs/environments.md, "Two
 * accounts"). The Deploy action's CodeBuild role may only assume it; every
 * ECS call then runs as that role, in the environment's account.
 */
export const SHIP_ROLE_VARIABLE = 'SHIP_ROLE_ARN';
