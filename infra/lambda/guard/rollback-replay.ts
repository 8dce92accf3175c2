import {
  DescribeStacksCommand,
  type CloudFormationClient,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * The stack status during which CloudFormation replays a custom resource's
 * Update with the old properties: after a failed update it returns every
 * updated resource to its previous state, the custom resources with one
 * more Update (aws-cdk#17040), and the stack is UPDATE_ROLLBACK_IN_PROGRESS
 * ("Ongoing return of one or more stacks to the previous working state
 * after failed stack update", CloudFormation User Guide, Stack status
 * codes: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/view-stack-events.html).
 */
export const ROLLBACK_REPLAY_STACK_STATUS: StackStatus = 'UPDATE_ROLLBACK_IN_PROGRESS';

/**
 * Is this event CloudFormation's rollback replay? Asked of the stack itself
 * (DescribeStacks on the event's StackId), never of a time a deployer's
 * machine stamped: clocks of two deployers can disagree, and a forward
 * deploy mistaken for a replay would skip the guard's refusal.
 */
export async function isRollbackReplay(
  event: CloudFormationCustomResourceEvent,
  cloudformation: CloudFormationClient,
): Promise<boolean> {
  if (event.RequestType !== 'Update') return false;
  const { Stacks = [] } = await cloudformation.send(
    new DescribeStacksCommand({ StackName: event.StackId }),
  );
  const status = Stacks[0]?.StackStatus;
  if (status === undefined) {
    throw new Error(`LiveTrafficGuard: DescribeStacks answered no stack for ${event.StackId}`);
  }
  return status === ROLLBACK_REPLAY_STACK_STATUS;
}
