import { fileURLToPath } from 'node:url';
import { ArnFormat, CustomResource, Stack, Validations } from 'aws-cdk-lib';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GUARD_API_CALLS, type GuardApiCall } from '../../lambda/live-traffic/api-calls.js';
import { nagLogicalId } from '../nag.js';
import { createGuardProvider, liveTargetGroupsOf } from './guard-provider.js';
import type { ListenerTargets } from '../../lambda/guard/answer.js';

export interface LiveTrafficGuardProps {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly productionPort: number;
  readonly testPort: number;
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.IApplicationTargetGroup;
  readonly application: codedeploy.IEcsApplication;
  /**
   * A value that differs on every deploy, so CloudFormation runs the guard
   * each time (it only calls a custom resource whose properties changed).
   * Only its difference counts: the rollback replay is told by the stack's
   * status, never by comparing these values.
   */
  readonly deployRun: string;
}

const entry = fileURLToPath(new URL('../../lambda/live-traffic/index.ts', import.meta.url));

/**
 * A custom resource that runs first on every deploy of the stack: it fails
 * the deploy, with a message naming the deployment, while a CodeDeploy
 * deployment is unfinished; otherwise it answers the target group each
 * listener forwards to now and the idle one. The listeners forward to its
 * answers in the shape CodeDeploy leaves after a release (live at weight
 * 100, idle at 0), so a listener edit (certificate, TLS policy, a CDK
 * upgrade) keeps production on the target group that serves it after any
 * number of releases, and keeps the idle group behind the listener for the
 * next deployment's Install health checks. On CloudFormation's rollback
 * replay (the stack UPDATE_ROLLBACK_IN_PROGRESS) it answers without
 * refusing (lambda/guard/rollback-replay.ts).
 */
export class LiveTrafficGuard extends Construct {
  /** Each listener's live target group (all traffic) and idle one (weight 0). */
  readonly production: ListenerTargets;
  readonly test: ListenerTargets;
  readonly resource: CustomResource;
  /** The provider of the guards' custom resources (also Custom::ServiceShape). */
  readonly serviceToken: string;

  constructor(scope: Construct, id: string, props: LiveTrafficGuardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const applicationName = props.application.applicationName;
    // The role is written from the list of the calls the handler makes.
    const resources: Record<GuardApiCall['scope'], string> = {
      application: props.application.applicationArn,
      // ListDeployments is authorized on the deployment group: every group of this application.
      applicationDeploymentGroups: stack.formatArn({
        service: 'codedeploy',
        resource: 'deploymentgroup',
        resourceName: `${applicationName}/*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
      // Describe* calls of Elastic Load Balancing support no resource-level permission.
      any: '*',
      // Its own stack only (AWS::StackId, the ARN with the stack's unique id).
      stack: stack.stackId,
    };
    const statements = (Object.keys(resources) as GuardApiCall['scope'][]).flatMap((scope) => {
      const actions = GUARD_API_CALLS.filter((call) => call.scope === scope).map(
        (call) => call.action,
      );
      return actions.length > 0
        ? [new iam.PolicyStatement({ actions, resources: [resources[scope]] })]
        : [];
    });
    const { onEvent, provider } = createGuardProvider(this, {
      entry,
      description:
        'Refuses a deploy during a CodeDeploy deployment; answers the live target groups',
      statements,
    });

    this.serviceToken = provider.serviceToken;
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::LiveTrafficGuard',
      properties: {
        LoadBalancerArn: props.loadBalancer.loadBalancerArn,
        ProductionPort: String(props.productionPort),
        TestPort: String(props.testPort),
        BlueTargetGroupArn: props.blueTargetGroup.targetGroupArn,
        GreenTargetGroupArn: props.greenTargetGroup.targetGroupArn,
        ApplicationName: applicationName,
        DeployRun: props.deployRun,
      },
    });
    const live = liveTargetGroupsOf(this.resource);
    this.production = live.production;
    this.test = live.test;

    Validations.of(onEvent).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'elasticloadbalancing:DescribeListeners supports no resource-level permission (Service Authorization Reference).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codedeploy:${stack.region}:<AWS::AccountId>:deploymentgroup:<${nagLogicalId(props.application)}>/*]`,
        reason:
          'codedeploy:ListDeployments on the deployment groups of this one application; the group is created after the listeners, so it cannot be named here.',
      },
    );
  }
}
