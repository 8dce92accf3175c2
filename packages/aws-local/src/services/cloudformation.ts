import { createHash } from 'node:crypto';
import type { Stack, StackResourceSummary } from '@aws-sdk/client-cloudformation';
import type { AwsQueryOperation } from '../protocols/aws-query.js';
import { AwsServiceError } from '../protocols/errors.js';
import { page } from '../protocols/paging.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, type AwsWorld, type WorldStack } from '../world.js';

/**
 * CloudFormation (awsQuery, Version 2010-05-15). Shapes from the SDK's
 * `Stack` and `StackResourceSummary` and the API reference:
 * - DescribeStacks: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 *   An unknown stack is a `ValidationError` "Stack with id <name> does not
 *   exist", not an empty list.
 * - ListStackResources: https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ListStackResources.html
 *   Pages of 100 summaries; `PhysicalResourceId` is what the resource
 *   type's Ref returns: a name for alarms, ECR repositories and Lambda
 *   functions, an ARN for load balancers, target groups, certificates and
 *   topics.
 */

export const CLOUDFORMATION_VERSION = '2010-05-15';
export const CLOUDFORMATION_NAMESPACE = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

function findStack(world: AwsWorld, name: string | null): WorldStack {
  const stack = (world.stacks ?? []).find(
    (s) => s.stackName === name || stackId(world, s) === name,
  );
  if (!stack) {
    throw new AwsServiceError('ValidationError', `Stack with id ${String(name)} does not exist`);
  }
  return stack;
}

function stackId(world: AwsWorld, stack: WorldStack): string {
  const uuid = createHash('sha256')
    .update(stack.stackName)
    .digest('hex')
    .slice(0, 32)
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
  return `arn:aws:cloudformation:${world.region ?? DEFAULT_REGION}:${world.accountId ?? DEFAULT_ACCOUNT_ID}:stack/${stack.stackName}/${uuid}`;
}

const CREATED = new Date('2026-01-05T09:00:00.000Z');

export function cloudFormationOperations(world: AwsWorld): Record<string, AwsQueryOperation> {
  return {
    DescribeStacks(form) {
      const name = form.get('StackName');
      // Without StackName the real API lists every stack; the ops tools always name one.
      const stacks = name === null ? (world.stacks ?? []) : [findStack(world, name)];
      const described: Stack[] = stacks.map((stack) => ({
        StackId: stackId(world, stack),
        StackName: stack.stackName,
        CreationTime: CREATED,
        LastUpdatedTime: CREATED,
        StackStatus: stack.stackStatus ?? 'UPDATE_COMPLETE',
        DisableRollback: false,
        NotificationARNs: [],
        Capabilities: ['CAPABILITY_IAM'],
        Outputs: Object.entries(stack.outputs).map(([OutputKey, OutputValue]) => ({
          OutputKey,
          OutputValue,
        })),
        Tags: [],
        EnableTerminationProtection: stack.terminationProtection ?? false,
        DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
      }));
      return { Stacks: described };
    },

    ListStackResources(form) {
      const stack = findStack(world, form.get('StackName'));
      const summaries: StackResourceSummary[] = stack.resources.map((resource) => ({
        LogicalResourceId: resource.logicalResourceId,
        PhysicalResourceId: resource.physicalResourceId,
        ResourceType: resource.resourceType,
        LastUpdatedTimestamp: CREATED,
        ResourceStatus: 'UPDATE_COMPLETE',
        DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
      }));
      const { items, next } = page(summaries, form.get('NextToken'), 100, 'ValidationError');
      return { StackResourceSummaries: items, NextToken: next };
    },
  };
}
