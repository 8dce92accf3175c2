import { Stack, Validations } from 'aws-cdk-lib';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ReleaseNotificationsProps {
  readonly pipeline: codepipeline.IPipeline;
  readonly application: codedeploy.IEcsApplication;
  readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
  /** An address subscribed to the topic. @default none */
  readonly email?: string;
}

/**
 * An SNS topic that hears when a release goes wrong: the pipeline failed
 * (any stage), or a deployment failed or was stopped, which is also how a
 * rolled-back deployment ends. EventBridge rules on the services' own
 * state-change events:
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-cloudwatch-events.html
 *
 * The topic's policy lets EventBridge publish for these two rules only
 * (`aws:SourceArn`) of this account (`aws:SourceAccount`), the confused
 * deputy protection of the EventBridge guide's SNS permissions:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 * aws-cdk-lib's SnsTopic target grants events.amazonaws.com without
 * conditions, so the rules target the topic directly.
 */
export class ReleaseNotifications extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: ReleaseNotificationsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Release failed or rolled back',
      enforceSSL: true,
    });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'EventBridge cannot publish to a topic encrypted with the AWS managed SNS key, and the messages carry only pipeline and deployment ids and states; a customer managed key adds cost without protecting anything secret.',
    });
    if (props.email !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    }
    const target: events.IRuleTarget = {
      bind: () => ({ arn: this.topic.topicArn, targetResource: this.topic }),
    };
    const pipelineFailed = new events.Rule(this, 'PipelineFailed', {
      description: 'The release pipeline failed',
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Pipeline Execution State Change'],
        detail: { pipeline: [props.pipeline.pipelineName], state: ['FAILED'] },
      },
      targets: [target],
    });
    const deploymentFailed = new events.Rule(this, 'DeploymentFailed', {
      description: 'A blue/green deployment failed, was stopped or rolled back',
      eventPattern: {
        source: ['aws.codedeploy'],
        detailType: ['CodeDeploy Deployment State-change Notification'],
        detail: {
          application: [props.application.applicationName],
          deploymentGroup: [props.deploymentGroup.deploymentGroupName],
          state: ['FAILURE', 'STOP'],
        },
      },
      targets: [target],
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeRulesOfThisAccount',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnEquals: { 'aws:SourceArn': [pipelineFailed.ruleArn, deploymentFailed.ruleArn] },
        },
      }),
    );
  }
}
