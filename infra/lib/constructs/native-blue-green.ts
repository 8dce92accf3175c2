import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/** A Lambda function ECS invokes at some stages of every service deployment. */
export interface NativeLifecycleHook {
  readonly function: lambda.IFunction;
  /** The stages it runs at (TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT run again on a rollback). */
  readonly stages: readonly ecs.DeploymentLifecycleStage[];
}

export interface NativeBlueGreenProps {
  /** The service, already under the ECS controller (Service with `native`). */
  readonly service: ecs.FargateService;
  /** Alarms that roll a deployment back, during the traffic shift and the bake time. */
  readonly alarms: readonly cloudwatch.IAlarm[];
  /**
   * The lifecycle hooks; ECS invokes them through one role allowed to
   * invoke exactly these functions. @default none
   */
  readonly hooks?: readonly NativeLifecycleHook[];
  /**
   * A PAUSE lifecycle hook: the deployment stops at `stage` until someone
   * calls ContinueServiceDeployment (CONTINUE or ROLLBACK) with its hookId,
   * or `timeoutMinutes` pass and ECS takes `onTimeout`. @default no pause
   * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
   */
  readonly pause?: PauseHook;
}

/** A pause inside the deployment (config `deployment.pause`). */
export interface PauseHook {
  readonly stage: string;
  readonly timeoutMinutes: number;
  readonly onTimeout: 'CONTINUE' | 'ROLLBACK';
}

/**
 * What CodeDeploy's deployment group does, on the service itself under the
 * ECS deployment controller: the alarms that roll a deployment back
 * (DeploymentConfiguration.Alarms, Enable and Rollback) and the lifecycle
 * hooks with the role ECS invokes them with. The strategy, bake time and
 * listener rules are the service's own (lib/constructs/service.ts).
 */
export class NativeBlueGreen extends Construct {
  /** The role ECS assumes to invoke the hooks; absent without hooks. */
  readonly hookInvokeRole?: iam.Role;

  constructor(scope: Construct, id: string, props: NativeBlueGreenProps) {
    super(scope, id);
    if (!props.service.isUsingECSDeploymentController()) {
      throw new Error(
        `NativeBlueGreen: the service ${props.service.node.path} is not under the ECS deployment controller; create it with Service's \`native\` settings`,
      );
    }
    if (props.alarms.length === 0) {
      throw new Error('NativeBlueGreen: alarms is empty; a deployment needs alarms to roll back');
    }
    props.service.enableDeploymentAlarms(
      props.alarms.map((alarm) => alarm.alarmName),
      { behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
    );

    const hooks = props.hooks ?? [];
    if (props.pause !== undefined) {
      // After the Lambda hooks, which the L2 renders first. The L2 has no
      // PAUSE target; the L1 properties are CloudFormation's
      // (AWS::ECS::Service DeploymentLifecycleHook TargetType PAUSE,
      // TimeoutConfiguration HookTimeoutConfig Action/TimeoutInMinutes).
      const { stage, timeoutMinutes, onTimeout } = props.pause;
      const cfnService = props.service.node.defaultChild as ecs.CfnService;
      // cfn-lint 1.51's schema of AWS::ECS::Service predates PAUSE hooks: it
      // still requires HookTargetArn and RoleArn and knows neither TargetType
      // nor TimeoutConfiguration, which the CloudFormation reference lists
      // (aws-properties-ecs-service-deploymentlifecyclehook.html). Only these
      // two schema checks are skipped, on this resource only, and only with
      // a pause; the ECS API reference (DeploymentLifecycleHook: hookTargetArn
      // "not applicable for PAUSE hooks") is what a real account checks.
      cfnService.addMetadata('cfn-lint', {
        config: {
          ignore_checks: ['E3002', 'E3003'],
        },
      });
      cfnService.addPropertyOverride(`DeploymentConfiguration.LifecycleHooks.${hooks.length}`, {
        TargetType: 'PAUSE',
        LifecycleStages: [stage],
        TimeoutConfiguration: { TimeoutInMinutes: timeoutMinutes, Action: onTimeout },
      });
    }
    if (hooks.length === 0) return;
    const role = (this.hookInvokeRole = new iam.Role(this, 'HookInvokeRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      description: 'ECS blue/green: invokes the deployment lifecycle hooks',
    }));
    // Exactly the hook functions: not grantInvoke, which adds every version
    // and alias (`<arn>:*`); ECS invokes the function ARN it is given.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: hooks.map((hook) => hook.function.functionArn),
      }),
    );
    hooks.forEach((hook, index) => {
      if (hook.stages.length === 0) {
        throw new Error(
          `NativeBlueGreen: hook ${index} (${hook.function.node.path}) has no lifecycle stage`,
        );
      }
      props.service.addLifecycleHook(
        new ecs.DeploymentLifecycleLambdaTarget(hook.function, `Hook${index}`, {
          role,
          lifecycleStages: [...hook.stages],
        }),
      );
    });
  }
}
