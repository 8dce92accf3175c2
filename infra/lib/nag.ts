import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** How cdk-nag names a resource's logical id in finding ids (`<LogicalId>`). */
export function nagLogicalId(resource: IConstruct): string {
  const element = resource.node.defaultChild as CfnElement | undefined;
  if (!element)
    throw new Error(`nagLogicalId: ${resource.node.path} has no CloudFormation resource`);
  return Stack.of(resource).resolve(element.logicalId) as string;
}

/** The action patterns CDK's bucket grants use (grantRead / grantReadWrite). */
const BUCKET_GRANT_ACTIONS = [
  's3:Abort*',
  's3:DeleteObject*',
  's3:GetBucket*',
  's3:GetObject*',
  's3:List*',
];

/**
 * Acknowledge the findings of a CDK bucket grant on one principal: the
 * action patterns and the object ARNs of that one bucket.
 */
export function acknowledgeBucketGrant(
  principal: IConstruct,
  bucket: IConstruct,
  why: string,
): void {
  const reason = `CDK grant on the pipeline artifact bucket only (${why}); artifacts are per-execution object keys, so the object ARN ends in /*.`;
  Validations.of(principal).acknowledge(
    ...BUCKET_GRANT_ACTIONS.map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason,
    })),
    { id: `AwsSolutions-IAM5[Resource::<${nagLogicalId(bucket)}.Arn>/*]`, reason },
    // With a customer managed key (a promotion across accounts), CDK's grant
    // adds the key's data-key and re-encrypt patterns, on that one key.
    ...['kms:GenerateDataKey*', 'kms:ReEncrypt*'].map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: `CDK grant on the pipeline artifact key only (${why}).`,
    })),
  );
}

/**
 * The findings of the grants CDK gives every CodeBuild project's role on
 * its own test-report groups and default log group (named after the
 * project), to pass to `Validations.of(role).acknowledge`.
 */
export function codeBuildDefaultGrants(project: IConstruct): { id: string; reason: string }[] {
  const region = Stack.of(project).region;
  const projectId = nagLogicalId(project);
  return [
    {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:${region}:<AWS::AccountId>:report-group/<${projectId}>-*]`,
      reason:
        'CDK’s default grant for this project’s own test-report groups (named after the project).',
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:<AWS::AccountId>:log-group:/aws/codebuild/<${projectId}>:*]`,
      reason:
        'CDK’s default grant for the project’s default log group and its streams; the project logs to its own group.',
    },
  ];
}
