import { Duration, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { nagLogicalId } from '../nag.js';
import { pinLogicalId } from '../pin.js';
import type { DeploymentHook } from './deployment-hook.js';

export type TrafficShift =
  | { readonly type: 'all-at-once' }
  | {
      readonly type: 'canary' | 'linear';
      readonly percent: number;
      readonly intervalMinutes: number;
    };

export interface BlueGreenDeploymentProps {
  readonly service: ecs.IBaseService;
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.IApplicationTargetGroup;
  readonly productionListener: elbv2.IApplicationListener;
  readonly testListener: elbv2.IApplicationListener;
  readonly trafficShift: TrafficShift;
  readonly terminationWait: Duration;
  /** Alarms that roll a deployment back. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /** The lifecycle hooks every release's AppSpec names. */
  readonly hooks: readonly DeploymentHook[];
}

/**
 * The CodeDeploy application and blue/green deployment group of the
 * service, with its rollback triggers, and the hooks' permission to report.
 */
export class BlueGreenDeployment extends Construct {
  readonly application: codedeploy.EcsApplication;
  readonly deploymentGroup: codedeploy.EcsDeploymentGroup;

  constructor(scope: Construct, id: string, props: BlueGreenDeploymentProps) {
    super(scope, id);
    this.application = new codedeploy.EcsApplication(this, 'Application');
    // The group's ApplicationName cannot change in place: a new application
    // would replace the pinned group, and the replacement cannot be created
    // while the old group still holds the service.
    pinLogicalId(this.application, 'CodeDeployApplication');
    this.deploymentGroup = new codedeploy.EcsDeploymentGroup(this, 'DeploymentGroup', {
      application: this.application,
      service: props.service,
      deploymentConfig: this.deploymentConfig(props.trafficShift),
      blueGreenDeploymentConfig: {
        blueTargetGroup: props.blueTargetGroup,
        greenTargetGroup: props.greenTargetGroup,
        listener: props.productionListener,
        testListener: props.testListener,
        terminationWaitTime: props.terminationWait,
      },
      alarms: [...props.alarms],
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    pinLogicalId(this.deploymentGroup, 'DeploymentGroup');
    Validations.of(this.deploymentGroup).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS]',
      reason:
        'The AWS managed service-role policy CodeDeploy needs to run ECS blue/green deployments.',
    });
    for (const hook of props.hooks) {
      hook.grantHook(this.deploymentGroup);
      // Explicit, so the hook keeps working with AWSCodeDeployRoleForECSLimited,
      // which invokes only functions named CodeDeployHook_*. The full
      // AWSCodeDeployRoleForECS that CDK attaches already allows it.
      hook.function.grantInvoke(this.deploymentGroup.role);
      Validations.of(this.deploymentGroup).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${nagLogicalId(hook.function)}.Arn>:*]`,
        reason:
          'lambda:InvokeFunction on the hook function and its versions (grantInvoke); no other function.',
      });
    }
  }

  private deploymentConfig(shift: TrafficShift): codedeploy.IEcsDeploymentConfig {
    if (shift.type === 'all-at-once') return codedeploy.EcsDeploymentConfig.ALL_AT_ONCE;
    const predefined: Record<string, codedeploy.IEcsDeploymentConfig> = {
      'canary-10-5': codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_5MINUTES,
      'canary-10-15': codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_15MINUTES,
      'linear-10-1': codedeploy.EcsDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTES,
      'linear-10-3': codedeploy.EcsDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
    };
    const known = predefined[`${shift.type}-${shift.percent}-${shift.intervalMinutes}`];
    if (known) return known;
    const routing = {
      interval: Duration.minutes(shift.intervalMinutes),
      percentage: shift.percent,
    };
    return new codedeploy.EcsDeploymentConfig(this, 'DeploymentConfig', {
      trafficRouting:
        shift.type === 'canary'
          ? new codedeploy.TimeBasedCanaryTrafficRouting(routing)
          : new codedeploy.TimeBasedLinearTrafficRouting(routing),
    });
  }
}
