import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  ReleaseNotifications,
  type ReleaseNotificationsProps,
} from '../lib/constructs/release-notifications.js';
import {
  APPLICATION_NAME,
  constructStack,
  DEPLOYMENT_GROUP_NAME,
  importedDeployment,
  REGION,
  ACCOUNT,
} from './stand-ins.js';
import { resourcesOf } from './support.js';

const PIPELINE_NAME = 'myproject-staging-release';

function build(props: Partial<ReleaseNotificationsProps> = {}): Template {
  const stack = constructStack();
  new ReleaseNotifications(stack, 'Notifications', {
    pipeline: codepipeline.Pipeline.fromPipelineArn(
      stack,
      'Pipeline',
      `arn:aws:codepipeline:${REGION}:${ACCOUNT}:${PIPELINE_NAME}`,
    ),
    deployment: { controller: 'codedeploy', ...importedDeployment(stack) },
    ...props,
  });
  return Template.fromStack(stack);
}

const app = build();
const resources = resourcesOf(app);
const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule');
const topicId = Object.entries(resources).find(([, r]) => r.Type === 'AWS::SNS::Topic')![0];

describe('ReleaseNotifications', () => {
  it('creates a rule that tells the topic when the pipeline fails', () => {
    expect(rules.map((r) => r.Properties)).toContainEqual(
      expect.objectContaining({
        EventPattern: {
          source: ['aws.codepipeline'],
          'detail-type': ['CodePipeline Pipeline Execution State Change'],
          detail: { pipeline: [PIPELINE_NAME], state: ['FAILED'] },
        },
        Targets: [expect.objectContaining({ Arn: { Ref: topicId } })],
      }) as unknown,
    );
  });

  it('creates a rule that says which stage stopped the run: a failed staging release, a rejected approval, a gate', () => {
    const stage = rules
      .map((r) => r.Properties)
      .find((p) =>
        JSON.stringify(p.EventPattern).includes('CodePipeline Stage Execution State Change'),
      )!;
    expect(stage.EventPattern).toEqual({
      source: ['aws.codepipeline'],
      'detail-type': ['CodePipeline Stage Execution State Change'],
      detail: { pipeline: [PIPELINE_NAME], state: ['FAILED'] },
    });
    const [target] = stage.Targets as {
      Arn: unknown;
      InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
    }[];
    expect(target!.Arn).toEqual({ Ref: topicId });
    expect(target!.InputTransformer.InputPathsMap).toMatchObject({
      'detail-stage': '$.detail.stage',
    });
    expect(target!.InputTransformer.InputTemplate).toMatch(
      /stopped at stage <detail-stage>.*Approve-<env> = the approval was rejected or expired/,
    );
  });

  it('creates no pipeline rule for an environment another pipeline deploys', () => {
    const stack = constructStack();
    new ReleaseNotifications(stack, 'Notifications', {
      deployment: { controller: 'codedeploy', ...importedDeployment(stack) },
    });
    const events = Object.values(resourcesOf(Template.fromStack(stack))).filter(
      (r) => r.Type === 'AWS::Events::Rule',
    );
    expect(events.map((r) => JSON.stringify(r.Properties.EventPattern))).toEqual([
      expect.stringContaining('aws.codedeploy'),
    ]);
  });

  it('creates a rule that tells the topic when a deployment fails, is stopped or rolls back', () => {
    expect(rules.map((r) => r.Properties)).toContainEqual(
      expect.objectContaining({
        EventPattern: {
          source: ['aws.codedeploy'],
          'detail-type': ['CodeDeploy Deployment State-change Notification'],
          detail: {
            application: [APPLICATION_NAME],
            deploymentGroup: [DEPLOYMENT_GROUP_NAME],
            state: ['FAILURE', 'STOP'],
          },
        },
        Targets: [expect.objectContaining({ Arn: { Ref: topicId } })],
      }) as unknown,
    );
  });

  it('creates the topic TLS-only, with no subscription by default', () => {
    app.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    app.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('creates a topic policy that lets EventBridge publish only for this account’s three rules', () => {
    const ruleIds = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::Events::Rule')
      .map(([id]) => id);
    expect(ruleIds).toHaveLength(3);
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::SNS::TopicPolicy');
    const statements = policies.flatMap(
      (policy) =>
        (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    const forEventBridge = statements.filter(
      (statement) =>
        JSON.stringify(statement.Principal) === JSON.stringify({ Service: 'events.amazonaws.com' }),
    );
    expect(forEventBridge).toEqual([
      {
        Sid: 'EventBridgeRulesOfThisAccount',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId },
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnEquals: {
            'aws:SourceArn': expect.arrayContaining(
              ruleIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
            ) as unknown,
          },
        },
      },
    ]);
    // No other statement admits anyone to publish.
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toEqual(forEventBridge);
  });

  it('creates an email subscription when an address is configured', () => {
    const withEmail = build({ email: 'ops@example.com' });
    withEmail.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});
