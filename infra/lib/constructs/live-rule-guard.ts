import { fileURLToPath } from 'node:url';
import { ArnFormat, CustomResource, Stack, Validations } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { RULE_GUARD_API_CALLS, type RuleGuardApiCall } from '../../lambda/live-rules/api-calls.js';
import { nagLogicalId } from '../nag.js';
import type { ListenerTargets } from '../../lambda/guard/answer.js';
import { createGuardProvider, liveTargetGroupsOf } from './guard-provider.js';

export interface LiveRuleGuardProps {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly productionPort: number;
  readonly testPort: number;
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.IApplicationTargetGroup;
  /** The cluster of the service whose deployments move the rules (created before the rules). */
  readonly cluster: ecs.ICluster;
  /** The priority of the traffic rule on each listener. */
  readonly rulePriority: number;
  /** Differs on every deploy, so CloudFormation runs the guard each time (LiveTrafficGuard). */
  readonly deployRun: string;
  /**
   * The bootstrap task definition's ARN: with it the guard also answers the
   * revision the cluster's service runs now (`serviceTaskDefinition`), the
   * bootstrap one before the service exists.
   */
  readonly bootstrapTaskDefinitionArn?: string;
}

const entry = fileURLToPath(new URL('../../lambda/live-rules/index.ts', import.meta.url));

/**
 * The LiveTrafficGuard of the ECS deployment controller, which moves
 * listener rules instead of listeners: a custom resource that runs first
 * on every deploy, fails it while a service deployment of the cluster is
 * unfinished, and otherwise answers the target group each traffic rule
 * forwards to now. The rules of the template forward to its answers, so a
 * stack update after any number of releases leaves production (and the
 * test rule) where ECS left it, and the service, which depends on the
 * rules, is never updated under a running deployment. Given the bootstrap
 * task definition, it also answers the revision the service runs now, which
 * the service then names: a stack update never moves it off a release's.
 */
export class LiveRuleGuard extends Construct {
  readonly production: ListenerTargets;
  readonly test: ListenerTargets;
  readonly resource: CustomResource;
  /**
   * The task-definition revision the service runs now (given
   * `bootstrapTaskDefinitionArn`): what the service's template names, so a
   * stack update never moves it off a release's revision.
   */
  readonly serviceTaskDefinition?: string;

  constructor(scope: Construct, id: string, props: LiveRuleGuardProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const clusterName = props.cluster.clusterName;
    // The role is written from the list of the calls the handler makes.
    const inCluster = (resource: string) =>
      stack.formatArn({
        service: 'ecs',
        resource,
        resourceName: `${clusterName}/*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const scopes: Record<RuleGuardApiCall['scope'], Omit<iam.PolicyStatementProps, 'actions'>> = {
      // ListServices has no resource type; the ecs:cluster key narrows it to this cluster.
      cluster: {
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
      },
      clusterServices: { resources: [inCluster('service')] },
      clusterServiceDeployments: { resources: [inCluster('service-deployment')] },
      // Describe* calls of Elastic Load Balancing support no resource-level permission.
      any: { resources: ['*'] },
      // Its own stack only (AWS::StackId, the ARN with the stack's unique id).
      stack: { resources: [stack.stackId] },
    };
    const statements = (Object.keys(scopes) as RuleGuardApiCall['scope'][]).flatMap((scope) => {
      const actions = RULE_GUARD_API_CALLS.filter((call) => call.scope === scope).map(
        (call) => call.action,
      );
      return actions.length > 0 ? [new iam.PolicyStatement({ actions, ...scopes[scope] })] : [];
    });
    const { onEvent, provider } = createGuardProvider(this, {
      entry,
      description:
        'Refuses a deploy during an ECS service deployment; answers the live target groups of the listener rules',
      statements,
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::LiveRuleGuard',
      properties: {
        LoadBalancerArn: props.loadBalancer.loadBalancerArn,
        ProductionPort: String(props.productionPort),
        TestPort: String(props.testPort),
        BlueTargetGroupArn: props.blueTargetGroup.targetGroupArn,
        GreenTargetGroupArn: props.greenTargetGroup.targetGroupArn,
        ClusterArn: props.cluster.clusterArn,
        RulePriority: String(props.rulePriority),
        DeployRun: props.deployRun,
        ...(props.bootstrapTaskDefinitionArn === undefined
          ? {}
          : { BootstrapTaskDefinitionArn: props.bootstrapTaskDefinitionArn }),
      },
    });
    const live = liveTargetGroupsOf(this.resource);
    this.production = live.production;
    this.test = live.test;
    if (props.bootstrapTaskDefinitionArn !== undefined) {
      this.serviceTaskDefinition = this.resource.getAttString('ServiceTaskDefinitionArn');
    }

    const clusterPattern = (resource: string) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${stack.region}:<AWS::AccountId>:${resource}/<${nagLogicalId(props.cluster)}>/*]`;
    Validations.of(onEvent).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'elasticloadbalancing:DescribeListeners and DescribeRules support no resource-level permission; ecs:ListServices has none either and is held to this cluster by the ecs:cluster condition (Service Authorization Reference).',
      },
      {
        id: clusterPattern('service'),
        reason:
          'ecs:ListServiceDeployments on the services of this one cluster; the service is created after the rules that wait for this guard, so it cannot be named here.',
      },
      {
        id: clusterPattern('service-deployment'),
        reason:
          'ecs:DescribeServiceDeployments on the deployments of this cluster’s services, whose ids ECS makes up per deployment.',
      },
    );
  }
}
