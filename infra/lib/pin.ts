import { CfnResource } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Pin the CloudFormation logical id of a resource whose replacement would
 * lose data or break the CodeDeploy wiring, so that moving a construct in
 * the tree can never replace it. A test asserts every pinned id.
 */
export function pinLogicalId(construct: IConstruct, logicalId: string): void {
  const resource = construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource)) {
    throw new Error(`pinLogicalId: ${construct.node.path} has no CloudFormation resource`);
  }
  resource.overrideLogicalId(logicalId);
}
