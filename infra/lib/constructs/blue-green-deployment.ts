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
  /**
   * Fixed names, for an environment another environment's pipeline deploys
   * (config/names.ts). @default generated names
   */
  readonly names?: {
    readonly application: string;
    readonly deploymentGroup: string;
    /** The custom deployment config's name (a predefined one keeps its own). */
    readonly deploymentConfigPrefix: string;
  };
}

/** The predefined CodeDeploy ECS configs by `<type>-<percent>-<interval>`. */
const PREDEFINED: Record<string, codedeploy.IEcsDeploymentConfig> = {
  'canary-10-5': codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  'canary-10-15': codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_15MINUTES,
  'linear-10-1': codedeploy.EcsDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTES,
  'linear-10-3': codedeploy.EcsDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
};

/**
 * The deployment config's name of a traffic shift: CodeDeploy's predefined
 * one, or `<prefix>-<type>-<percent>-<interval>` for a custom one (its
 * fixed name, so another environment's pipeline can name it).
 */
export function codeDeployConfigName(shift: TrafficShift, prefix: string): string {
  if (shift.type === 'all-at-once') return 'CodeDeployDefault.ECSAllAtOnce';
  const known = PREDEFINED[`${shift.type}-${shift.percent}-${shift.intervalMinutes}`];
  if (known) return known.deploymentConfigName;
  return `${prefix}-${shift.type}-${shift.percent}-${shift.intervalMinutes}`;
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
    this.application = new codedeploy.EcsApplication(this, 'Application', {
      applicationName: props.names?.application,
    });
    // The group's ApplicationName cannot change in place: a new application
    // would replace the pinned group, and the replacement cannot be created
    // while the old group still holds the service.
    pinLogicalId(this.application, 'CodeDeployApplication');
    this.deploymentGroup = new codedeploy.EcsDeploymentGroup(this, 'DeploymentGroup', {
      deploymentGroupName: props.names?.deploymentGroup,
      application: this.application,
      service: props.service,
      deploymentConfig: this.deploymentConfig(
        props.trafficShift,
        props.names?.deploymentConfigPrefix,
      ),
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

  private deploymentConfig(
    shift: TrafficShift,
    namePrefix: string | undefined,
  ): codedeploy.IEcsDeploymentConfig {
    if (shift.type === 'all-at-once') return codedeploy.EcsDeploymentConfig.ALL_AT_ONCE;
    const known = PREDEFINED[`${shift.type}-${shift.percent}-${shift.intervalMinutes}`];
    if (known) return known;
    const routing = {
      interval: Duration.minutes(shift.intervalMinutes),
      percentage: shift.percent,
    };
    return new codedeploy.EcsDeploymentConfig(this, 'DeploymentConfig', {
      ...(namePrefix === undefined
        ? {}
        : { deploymentConfigName: codeDeployConfigName(shift, namePrefix) }),
      trafficRouting:
        shift.type === 'canary'
          ? new codedeploy.TimeBasedCanaryTrafficRouting(routing)
          : new codedeploy.TimeBasedLinearTrafficRouting(routing),
    });
  }
}
