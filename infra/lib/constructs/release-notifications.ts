import { Lazy, Stack, Validations } from 'aws-cdk-lib';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface ReleaseNotificationsProps {
  /**
   * The release pipeline whose failures are reported; none for an
   * environment another environment's pipeline deploys (see watchPipeline).
   */
  readonly pipeline?: codepipeline.IPipeline;
  /** What deploys a release: a CodeDeploy deployment group, or an ECS service on its own controller. */
  readonly deployment:
    | {
        readonly controller: 'codedeploy';
        readonly application: codedeploy.IEcsApplication;
        readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
      }
    | { readonly controller: 'ecs'; readonly service: ecs.IBaseService };
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
 * and, for a service on the ECS controller, ECS's service deployment
 * state-change events (`SERVICE_DEPLOYMENT_FAILED`, which is how a rolled-back
 * deployment ends):
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
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
  private readonly ruleArns: string[] = [];
  private readonly target: events.IRuleTarget = {
    bind: () => ({ arn: this.topic.topicArn, targetResource: this.topic }),
  };

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
    const target = this.target;
    const deployment = props.deployment;
    const deploymentFailed = new events.Rule(this, 'DeploymentFailed', {
      description: 'A blue/green deployment failed, was stopped or rolled back',
      eventPattern:
        deployment.controller === 'codedeploy'
          ? {
              source: ['aws.codedeploy'],
              detailType: ['CodeDeploy Deployment State-change Notification'],
              detail: {
                application: [deployment.application.applicationName],
                deploymentGroup: [deployment.deploymentGroup.deploymentGroupName],
                state: ['FAILURE', 'STOP'],
              },
            }
          : {
              source: ['aws.ecs'],
              detailType: ['ECS Deployment State Change'],
              resources: [deployment.service.serviceArn],
              detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
            },
      targets: [target],
    });
    this.ruleArns.push(deploymentFailed.ruleArn);
    if (props.pipeline) this.watchPipeline(props.pipeline);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeRulesOfThisAccount',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnEquals: { 'aws:SourceArn': Lazy.list({ produce: () => this.ruleArns }) },
        },
      }),
    );
  }

  /**
   * Report the pipeline's failures: the run (PipelineFailed), and which
   * stage stopped it (StageFailed), which says why: Deploy (the first
   * environment's release failed or rolled back), Approve-<env> (the
   * approval was rejected or expired) or Deploy-<env> (a gate held, a
   * previous environment's alarm or the window, or the release failed).
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/detect-state-changes-cloudwatch-events.html
   */
  watchPipeline(pipeline: codepipeline.IPipeline): void {
    const pipelineFailed = new events.Rule(this, 'PipelineFailed', {
      description: 'The release pipeline failed',
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Pipeline Execution State Change'],
        detail: { pipeline: [pipeline.pipelineName], state: ['FAILED'] },
      },
      targets: [this.target],
    });
    const stageFailed = new events.Rule(this, 'StageFailed', {
      description:
        'A stage of the release pipeline failed: its name says why (Deploy, Approve-<env>, Deploy-<env>)',
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Stage Execution State Change'],
        detail: { pipeline: [pipeline.pipelineName], state: ['FAILED'] },
      },
      targets: [
        {
          bind: () => ({
            arn: this.topic.topicArn,
            targetResource: this.topic,
            input: events.RuleTargetInput.fromText(
              `Release pipeline ${events.EventField.fromPath('$.detail.pipeline')} stopped at stage ${events.EventField.fromPath('$.detail.stage')} (execution ${events.EventField.fromPath('$.detail.execution-id')}): Deploy = the first environment's release failed or rolled back; Approve-<env> = the approval was rejected or expired; Deploy-<env> = a gate held (an alarm of the environment before in ALARM, or outside the deployment window) or that release failed. Nothing after this stage ran.`,
            ),
          }),
        },
      ],
    });
    this.ruleArns.push(pipelineFailed.ruleArn, stageFailed.ruleArn);
  }
}
