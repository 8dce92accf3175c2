import { ACMClient } from '@aws-sdk/client-acm';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { CodeStarConnectionsClient } from '@aws-sdk/client-codestar-connections';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NoCredentialsError } from './usage.js';

/**
 * One client per service, in the environment's region, each with the SDK's
 * default credential chain (environment, AWS_PROFILE / SSO, container or
 * instance role) and endpoint settings (AWS_ENDPOINT_URL, which the tests
 * point at @webapp-color/aws-local).
 */
export interface OpsClients {
  readonly acm: ACMClient;
  readonly cloudformation: CloudFormationClient;
  readonly cloudwatch: CloudWatchClient;
  readonly codedeploy: CodeDeployClient;
  readonly codepipeline: CodePipelineClient;
  readonly connections: CodeStarConnectionsClient;
  readonly ecr: ECRClient;
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly lambda: LambdaClient;
  readonly route53: Route53Client;
  readonly sns: SNSClient;
  readonly sts: STSClient;
}

export function createClients(region: string): OpsClients {
  // Route 53 is global; its endpoint is in us-east-1 whatever the stacks' region.
  const config = { region, maxAttempts: 3 };
  return {
    acm: new ACMClient(config),
    cloudformation: new CloudFormationClient(config),
    cloudwatch: new CloudWatchClient(config),
    codedeploy: new CodeDeployClient(config),
    codepipeline: new CodePipelineClient(config),
    connections: new CodeStarConnectionsClient(config),
    ecr: new ECRClient(config),
    ecs: new ECSClient(config),
    elbv2: new ElasticLoadBalancingV2Client(config),
    lambda: new LambdaClient(config),
    route53: new Route53Client({ ...config, region: 'us-east-1' }),
    sns: new SNSClient(config),
    sts: new STSClient(config),
  };
}

export function destroyClients(clients: OpsClients): void {
  for (const client of Object.values(clients) as { destroy(): void }[]) client.destroy();
}

/** Errors that mean "these credentials do not work", not "this call is not allowed". */
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
]);

/** Who the credentials are; a NoCredentialsError when there are none that work. */
export async function callerIdentity(
  clients: OpsClients,
): Promise<{ account: string; arn: string }> {
  try {
    const identity = await clients.sts.send(new GetCallerIdentityCommand({}));
    return { account: identity.Account ?? '', arn: identity.Arn ?? '' };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (CREDENTIAL_ERRORS.has(name)) {
      throw new NoCredentialsError(`${name}: ${(error as Error).message}`);
    }
    throw error;
  }
}

/** The error's name and message, for a ✗ line. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
