import {
  DescribeStacksCommand,
  ListStackResourcesCommand,
  type CloudFormationClient,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';

/**
 * A deployed stack as CloudFormation reports it: its outputs (the app
 * stack's SiteUrl, ClusterName, …, infra/lib/stacks/app-stack.ts) and its
 * resources' physical ids, so nothing here guesses a name CDK generated.
 */
export interface DeployedStack {
  readonly name: string;
  /** A StackStatus, or a newer one this SDK does not list. */
  readonly status: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly resources: readonly StackResourceSummary[];
}

/** The stack, or undefined when CloudFormation says it does not exist. */
export async function readStack(
  cloudformation: CloudFormationClient,
  name: string,
): Promise<DeployedStack | undefined> {
  let described;
  try {
    described = await cloudformation.send(new DescribeStacksCommand({ StackName: name }));
  } catch (error) {
    // DescribeStacks answers an unknown stack with ValidationError "Stack with id … does not exist".
    if (error instanceof Error && /does not exist/.test(error.message)) return undefined;
    throw error;
  }
  const stack = described.Stacks?.[0];
  if (!stack) return undefined;
  const resources: StackResourceSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudformation.send(
      new ListStackResourcesCommand({ StackName: name, NextToken: nextToken }),
    );
    resources.push(...(page.StackResourceSummaries ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return {
    name,
    status: stack.StackStatus ?? 'UNKNOWN',
    outputs: Object.fromEntries(
      (stack.Outputs ?? []).flatMap((o) =>
        o.OutputKey && o.OutputValue !== undefined ? [[o.OutputKey, o.OutputValue]] : [],
      ),
    ),
    resources,
  };
}

/** Physical ids of the stack's resources of one type (`AWS::CloudWatch::Alarm`), in stack order. */
export function physicalIds(stack: DeployedStack, resourceType: string): string[] {
  return stack.resources
    .filter((r) => r.ResourceType === resourceType && r.PhysicalResourceId)
    .map((r) => r.PhysicalResourceId!);
}

/** An output the CDK app always writes; its absence means the stack is not this app's. */
export function requiredOutput(stack: DeployedStack, key: string): string {
  const value = stack.outputs[key];
  if (value === undefined) {
    throw new Error(
      `stack ${stack.name} has no output ${key}: deploy the current CDK app (pnpm exec cdk deploy --all)`,
    );
  }
  return value;
}
