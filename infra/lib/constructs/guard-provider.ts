import { Duration, RemovalPolicy, Validations, type CustomResource } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { LIVE_ANSWER_ATTRIBUTES, type LiveTargetGroups } from '../../lambda/guard/answer.js';
import { LAMBDA_BUNDLING } from '../lambda-bundling.js';
import { nagLogicalId } from '../nag.js';

export interface GuardProviderProps {
  /** The handler's source file (bundled with esbuild). */
  readonly entry: string;
  readonly description: string;
  /** The role's statements, written from the handler's api-calls list. */
  readonly statements: readonly iam.PolicyStatement[];
}

export interface GuardProvider {
  readonly onEvent: nodejs.NodejsFunction;
  readonly provider: cr.Provider;
}

const BASIC_EXECUTION =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/**
 * The onEvent function and CDK's provider framework of a guard's custom
 * resource, created in `scope` itself (the logical ids stay those of the
 * guard), with the cdk-nag acknowledgements both guards share. The
 * guard acknowledges what its own statements need.
 */
export function createGuardProvider(scope: Construct, props: GuardProviderProps): GuardProvider {
  const onEvent = new nodejs.NodejsFunction(scope, 'Resolve', {
    entry: props.entry,
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: Duration.minutes(1),
    description: props.description,
    logGroup: new logs.LogGroup(scope, 'ResolveLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    }),
    bundling: LAMBDA_BUNDLING,
  });
  for (const statement of props.statements) onEvent.addToRolePolicy(statement);

  const provider = new cr.Provider(scope, 'Provider', {
    onEventHandler: onEvent,
    logGroup: new logs.LogGroup(scope, 'ProviderLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    }),
  });

  Validations.of(onEvent).acknowledge({
    id: BASIC_EXECUTION,
    reason: 'The AWS managed policy for writing the function’s own logs.',
  });
  Validations.of(provider).acknowledge(
    {
      id: BASIC_EXECUTION,
      reason: 'CDK’s custom-resource provider framework function writing its own logs.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::<${nagLogicalId(onEvent)}.Arn>:*]`,
      reason:
        'The provider framework invokes the one onEvent function and its versions; no other function.',
    },
    {
      id: 'AwsSolutions-L1',
      reason:
        'The runtime of CDK’s own provider framework function is chosen by aws-cdk-lib and moves with it.',
    },
  );
  return { onEvent, provider };
}

/** The live and idle target groups a guard's resource answers (lambda/guard/answer.ts). */
export function liveTargetGroupsOf(resource: CustomResource): LiveTargetGroups {
  const attribute = (name: string) => resource.getAttString(name);
  return {
    production: {
      live: attribute(LIVE_ANSWER_ATTRIBUTES.productionLive),
      idle: attribute(LIVE_ANSWER_ATTRIBUTES.productionIdle),
    },
    test: {
      live: attribute(LIVE_ANSWER_ATTRIBUTES.testLive),
      idle: attribute(LIVE_ANSWER_ATTRIBUTES.testIdle),
    },
  };
}
