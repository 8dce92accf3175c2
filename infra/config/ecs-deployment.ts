/**
 * How an environment's deployment settings read under the ECS deployment
 * controller (`deployment.controller: 'ecs'`), and the limits CloudFormation
 * puts on them. The schema checks an environment against these limits; the
 * service construct renders the same values into the service's
 * DeploymentConfiguration, so both read one mapping.
 *
 * Limits, AWS::ECS::Service reference (and cfn-lint's schema of it):
 * - DeploymentConfiguration.BakeTimeInMinutes: 0–1440
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-deploymentconfiguration.html
 * - CanaryConfiguration: CanaryPercent 0.1–100 by 0.1, CanaryBakeTimeInMinutes 0–1440;
 *   CloudFormation rejects a canary whose BakeTimeInMinutes + CanaryBakeTimeInMinutes
 *   exceeds 33 hours (its operations time out after 36)
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-canaryconfiguration.html
 * - LinearConfiguration: StepPercent 3–100 by 0.1, StepBakeTimeInMinutes 0–1440;
 *   CloudFormation rejects a linear deployment whose
 *   BakeTimeInMinutes + StepBakeTimeInMinutes × steps exceeds 33 hours, the steps
 *   being 100 ÷ StepPercent − 1 when StepPercent divides 100, else ⌊100 ÷ StepPercent⌋
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-linearconfiguration.html
 */

/** BakeTimeInMinutes, CanaryBakeTimeInMinutes and StepBakeTimeInMinutes: at most 24 hours. */
export const ECS_MAX_BAKE_MINUTES = 1440;
/** LinearConfiguration.StepPercent: at least 3. */
export const ECS_MIN_LINEAR_STEP_PERCENT = 3;
/** The longest deployment CloudFormation accepts for a canary or linear strategy: 33 hours. */
export const CFN_MAX_PROGRESSIVE_DEPLOYMENT_MINUTES = 33 * 60;

/**
 * The Deploy stage of an `ecs` environment is a CodeBuild action that
 * follows the whole service deployment (the ship program), so the deployment
 * must end inside the longest a CodeBuild action may run: 480 minutes, both
 * CodeBuild's build timeout quota ("Build timeout in minutes: 480", not
 * adjustable, https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html)
 * and CodePipeline's timeout of a CodeBuild build action ("8 hours",
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
 */
export const CODEBUILD_ACTION_MAX_MINUTES = 480;
/**
 * What a deployment takes besides its traffic steps and bake time: green
 * tasks starting and passing the container and target health checks, the
 * lifecycle hooks, the traffic shifts themselves, draining (the target
 * groups' deregistration delay) and scaling blue in, and the program's own
 * registration and polling.
 */
export const SHIP_MARGIN_MINUTES = 30;

/** The Deploy action's timeout of an `ecs` environment: the deployment's own time and the margin. */
export function shipTimeoutMinutes(deployment: NativeDeployment): number {
  return nativeDeploymentMinutes(deployment) + SHIP_MARGIN_MINUTES;
}

/** The two ways a release is driven; one per environment. */
export const DEPLOYMENT_CONTROLLERS = ['codedeploy', 'ecs'] as const;
export type DeploymentControllerName = (typeof DEPLOYMENT_CONTROLLERS)[number];

/** An environment's traffic shift, as its configuration writes it (for either controller). */
export type TrafficShiftSetting =
  | { readonly type: 'all-at-once' }
  | {
      readonly type: 'canary' | 'linear';
      readonly percent: number;
      readonly intervalMinutes: number;
    };

/** What the service's DeploymentConfiguration says under the ECS controller. */
export type NativeDeployment =
  | { readonly strategy: 'BLUE_GREEN'; readonly bakeTimeMinutes: number }
  | {
      readonly strategy: 'CANARY';
      readonly bakeTimeMinutes: number;
      readonly canaryPercent: number;
      readonly canaryBakeTimeMinutes: number;
    }
  | {
      readonly strategy: 'LINEAR';
      readonly bakeTimeMinutes: number;
      readonly stepPercent: number;
      readonly stepBakeTimeMinutes: number;
    };

/** The traffic-shifting steps CloudFormation counts for a linear strategy (no bake after the last). */
export function linearSteps(stepPercent: number): number {
  return 100 % stepPercent === 0 ? 100 / stepPercent - 1 : Math.floor(100 / stepPercent);
}

/**
 * The native deployment of a configuration: all at once is BLUE_GREEN, a
 * canary is CANARY (percent first, the rest after intervalMinutes), linear
 * is LINEAR (percent every intervalMinutes); terminationWaitMinutes, the
 * time blue is kept after production moved, is the bake time, during which
 * both revisions run and an alarm still rolls back.
 */
export function nativeDeploymentOf(
  strategy: TrafficShiftSetting,
  terminationWaitMinutes: number,
): NativeDeployment {
  const bakeTimeMinutes = terminationWaitMinutes;
  switch (strategy.type) {
    case 'all-at-once':
      return { strategy: 'BLUE_GREEN', bakeTimeMinutes };
    case 'canary':
      return {
        strategy: 'CANARY',
        bakeTimeMinutes,
        canaryPercent: strategy.percent,
        canaryBakeTimeMinutes: strategy.intervalMinutes,
      };
    case 'linear':
      return {
        strategy: 'LINEAR',
        bakeTimeMinutes,
        stepPercent: strategy.percent,
        stepBakeTimeMinutes: strategy.intervalMinutes,
      };
  }
}

/** The deployment time CloudFormation computes from the template (hooks and scaling come on top). */
export function nativeDeploymentMinutes(deployment: NativeDeployment): number {
  switch (deployment.strategy) {
    case 'BLUE_GREEN':
      return deployment.bakeTimeMinutes;
    case 'CANARY':
      return deployment.bakeTimeMinutes + deployment.canaryBakeTimeMinutes;
    case 'LINEAR':
      return (
        deployment.bakeTimeMinutes +
        deployment.stepBakeTimeMinutes * linearSteps(deployment.stepPercent)
      );
  }
}

/** A setting the ECS controller cannot take: where it is, and why. */
export interface NativeDeploymentProblem {
  readonly path: readonly string[];
  readonly message: string;
}

/**
 * What in a configuration has no meaning for the ECS controller, each with
 * the field, the limit and its source. Empty when every value maps.
 */
export function nativeDeploymentProblems(
  strategy: TrafficShiftSetting,
  terminationWaitMinutes: number,
): NativeDeploymentProblem[] {
  const problems: NativeDeploymentProblem[] = [];
  const under = "with deployment.controller 'ecs'";
  if (terminationWaitMinutes > ECS_MAX_BAKE_MINUTES) {
    problems.push({
      path: ['deployment', 'terminationWaitMinutes'],
      message: `${under} this is the bake time (DeploymentConfiguration.BakeTimeInMinutes), at most ${ECS_MAX_BAKE_MINUTES} (24 hours)`,
    });
  }
  if (strategy.type === 'all-at-once') {
    if (
      problems.length === 0 &&
      terminationWaitMinutes + SHIP_MARGIN_MINUTES > CODEBUILD_ACTION_MAX_MINUTES
    ) {
      problems.push({
        path: ['deployment', 'terminationWaitMinutes'],
        message: `${under} the pipeline's Deploy action follows the whole deployment: the bake time ${terminationWaitMinutes} + ${SHIP_MARGIN_MINUTES} minutes for tasks, health checks, hooks and draining = ${terminationWaitMinutes + SHIP_MARGIN_MINUTES} minutes, over the ${CODEBUILD_ACTION_MAX_MINUTES} (8 hours) a CodeBuild action may run (CodeBuild's build timeout quota, CodePipeline's CodeBuild action timeout); at most ${CODEBUILD_ACTION_MAX_MINUTES - SHIP_MARGIN_MINUTES}`,
      });
    }
    return problems;
  }
  const field = strategy.type === 'canary' ? 'CanaryBakeTimeInMinutes' : 'StepBakeTimeInMinutes';
  if (strategy.intervalMinutes > ECS_MAX_BAKE_MINUTES) {
    problems.push({
      path: ['deployment', 'strategy', 'intervalMinutes'],
      message: `${under} this is ${strategy.type === 'canary' ? 'CanaryConfiguration' : 'LinearConfiguration'}.${field}, at most ${ECS_MAX_BAKE_MINUTES} (24 hours)`,
    });
  }
  if (strategy.type === 'linear' && strategy.percent < ECS_MIN_LINEAR_STEP_PERCENT) {
    problems.push({
      path: ['deployment', 'strategy', 'percent'],
      message: `${under} this is LinearConfiguration.StepPercent, at least ${ECS_MIN_LINEAR_STEP_PERCENT}`,
    });
  }
  if (problems.length > 0) return problems;
  const deployment = nativeDeploymentOf(strategy, terminationWaitMinutes);
  const total = nativeDeploymentMinutes(deployment);
  if (total > CFN_MAX_PROGRESSIVE_DEPLOYMENT_MINUTES) {
    const formula =
      deployment.strategy === 'LINEAR'
        ? `terminationWaitMinutes ${terminationWaitMinutes} + intervalMinutes ${deployment.stepBakeTimeMinutes} × ${linearSteps(deployment.stepPercent)} steps`
        : `terminationWaitMinutes ${terminationWaitMinutes} + intervalMinutes ${strategy.intervalMinutes}`;
    problems.push({
      path: ['deployment', 'strategy'],
      message: `${under} the deployment takes ${formula} = ${total} minutes, over the ${CFN_MAX_PROGRESSIVE_DEPLOYMENT_MINUTES} (33 hours) CloudFormation accepts for a ${strategy.type} deployment; shorten the interval or the termination wait, or shift more percent per step`,
    });
    return problems;
  }
  const timeout = shipTimeoutMinutes(deployment);
  if (timeout > CODEBUILD_ACTION_MAX_MINUTES) {
    problems.push({
      path: ['deployment'],
      message: `${under} the pipeline's Deploy action follows the whole deployment: ${total} minutes of traffic steps and bake time + ${SHIP_MARGIN_MINUTES} minutes for tasks, health checks, hooks and draining = ${timeout} minutes, over the ${CODEBUILD_ACTION_MAX_MINUTES} (8 hours) a CodeBuild action may run (CodeBuild's build timeout quota, CodePipeline's CodeBuild action timeout); keep terminationWaitMinutes plus the strategy's intervals within ${CODEBUILD_ACTION_MAX_MINUTES - SHIP_MARGIN_MINUTES} minutes`,
    });
  }
  return problems;
}
