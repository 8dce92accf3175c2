import { describe, expect, it } from 'vitest';
import {
  InfraConfigError,
  loadInfraConfig,
  nativeDeploymentOf,
  parseInfraConfig,
} from '../config/index.js';
import {
  linearSteps,
  nativeDeploymentMinutes,
  shipTimeoutMinutes,
} from '../config/ecs-deployment.js';
import { staging } from '../config/staging.js';
import { stagingEcs } from '../config/staging-ecs.js';

function problemsOf(input: unknown): string[] {
  try {
    parseInfraConfig('test', input);
  } catch (error) {
    if (error instanceof InfraConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

/** Staging on the ECS controller with some deployment fields; unvalidated, as a config file writes it. */
const onEcs = (deployment: Record<string, unknown>): unknown => ({
  ...staging,
  deployment: { controller: 'ecs', ...deployment },
});

describe('deployment.controller', () => {
  it('defaults to codedeploy, so the existing environments keep CodeDeploy', () => {
    expect(loadInfraConfig('staging').deployment.controller).toBe('codedeploy');
  });

  it('creates the ECS example environment with its canary and bake time', () => {
    const config = parseInfraConfig('staging-ecs', stagingEcs);
    expect(config.deployment).toEqual({
      controller: 'ecs',
      strategy: { type: 'canary', percent: 10, intervalMinutes: 5 },
      terminationWaitMinutes: 15,
    });
  });

  it('fails when the controller is neither codedeploy nor ecs', () => {
    expect(problemsOf({ ...staging, deployment: { controller: 'lambda' } })).toEqual([
      expect.stringMatching(/^deployment\.controller = "lambda": .*"codedeploy".*"ecs"/),
    ]);
  });
});

describe('the strategies under the ECS controller', () => {
  it('renders all at once as BLUE_GREEN with the termination wait as bake time', () => {
    expect(nativeDeploymentOf({ type: 'all-at-once' }, 5)).toEqual({
      strategy: 'BLUE_GREEN',
      bakeTimeMinutes: 5,
    });
  });

  it('renders a canary as CANARY: the percent first, the rest after the interval', () => {
    expect(nativeDeploymentOf({ type: 'canary', percent: 10, intervalMinutes: 15 }, 30)).toEqual({
      strategy: 'CANARY',
      bakeTimeMinutes: 30,
      canaryPercent: 10,
      canaryBakeTimeMinutes: 15,
    });
  });

  it('renders linear as LINEAR: the percent every interval', () => {
    expect(nativeDeploymentOf({ type: 'linear', percent: 10, intervalMinutes: 3 }, 0)).toEqual({
      strategy: 'LINEAR',
      bakeTimeMinutes: 0,
      stepPercent: 10,
      stepBakeTimeMinutes: 3,
    });
  });

  it('counts linear steps as CloudFormation does (no bake after the last shift)', () => {
    expect(linearSteps(10)).toBe(9);
    expect(linearSteps(11)).toBe(9);
    expect(linearSteps(3)).toBe(33);
    expect(linearSteps(50)).toBe(1);
    expect(
      nativeDeploymentMinutes({
        strategy: 'LINEAR',
        bakeTimeMinutes: 60,
        stepPercent: 20,
        stepBakeTimeMinutes: 10,
      }),
    ).toBe(60 + 4 * 10);
  });

  it('accepts the longest deployment the pipeline can follow (8 hours with the margin)', () => {
    // 400 + 50 + 30 = 480 minutes: a CodeBuild action's limit exactly.
    const config = parseInfraConfig(
      'test',
      onEcs({
        strategy: { type: 'canary', percent: 10, intervalMinutes: 50 },
        terminationWaitMinutes: 400,
      }),
    );
    expect(shipTimeoutMinutes(nativeDeploymentOf(config.deployment.strategy, 400))).toBe(480);
  });

  it('refuses a deployment CloudFormation takes but the Deploy action cannot follow', () => {
    // 1440 + 540 = 1980 minutes = 33 h: CloudFormation's limit, far over a CodeBuild action's 8 h.
    expect(
      problemsOf(
        onEcs({
          strategy: { type: 'canary', percent: 10, intervalMinutes: 540 },
          terminationWaitMinutes: 1440,
        }),
      ),
    ).toEqual([
      'deployment = {"controller":"ecs","strategy":{"type":"canary","percent":10,"intervalMinutes":540},"terminationWaitMinutes":1440}: with deployment.controller \'ecs\' the pipeline\'s Deploy action follows the whole deployment: 1980 minutes of traffic steps and bake time + 30 minutes for tasks, health checks, hooks and draining = 2010 minutes, over the 480 (8 hours) a CodeBuild action may run (CodeBuild\'s build timeout quota, CodePipeline\'s CodeBuild action timeout); keep terminationWaitMinutes plus the strategy\'s intervals within 450 minutes',
    ]);
    expect(problemsOf(onEcs({ terminationWaitMinutes: 451 }))).toEqual([
      expect.stringContaining(
        "deployment.terminationWaitMinutes = 451: with deployment.controller 'ecs' the pipeline's Deploy action follows the whole deployment: the bake time 451 + 30",
      ),
    ]);
  });
});

describe('values without meaning for the ECS controller', () => {
  it('fails when the termination wait is above the 24-hour bake time, naming field, value and limit', () => {
    expect(problemsOf(onEcs({ terminationWaitMinutes: 2000 }))).toEqual([
      "deployment.terminationWaitMinutes = 2000: with deployment.controller 'ecs' this is the bake time (DeploymentConfiguration.BakeTimeInMinutes), at most 1440 (24 hours)",
    ]);
  });

  it('keeps the same termination wait valid for CodeDeploy (up to 2880)', () => {
    expect(
      parseInfraConfig('test', { ...staging, deployment: { terminationWaitMinutes: 2000 } })
        .deployment.terminationWaitMinutes,
    ).toBe(2000);
  });

  it('fails when a canary interval is above CanaryBakeTimeInMinutes’ 1440', () => {
    expect(
      problemsOf(onEcs({ strategy: { type: 'canary', percent: 10, intervalMinutes: 1500 } })),
    ).toEqual([
      "deployment.strategy.intervalMinutes = 1500: with deployment.controller 'ecs' this is CanaryConfiguration.CanaryBakeTimeInMinutes, at most 1440 (24 hours)",
    ]);
  });

  it('fails when a linear step is below StepPercent’s 3 percent', () => {
    expect(
      problemsOf(onEcs({ strategy: { type: 'linear', percent: 2, intervalMinutes: 1 } })),
    ).toEqual([
      "deployment.strategy.percent = 2: with deployment.controller 'ecs' this is LinearConfiguration.StepPercent, at least 3",
    ]);
  });

  it('fails when a canary with its bake time exceeds the 33 hours CloudFormation accepts', () => {
    const problems = problemsOf(
      onEcs({
        strategy: { type: 'canary', percent: 10, intervalMinutes: 600 },
        terminationWaitMinutes: 1440,
      }),
    );
    expect(problems).toEqual([
      'deployment.strategy = {"type":"canary","percent":10,"intervalMinutes":600}: ' +
        "with deployment.controller 'ecs' the deployment takes terminationWaitMinutes 1440 + intervalMinutes 600 = 2040 minutes, " +
        'over the 1980 (33 hours) CloudFormation accepts for a canary deployment; shorten the interval or the termination wait, or shift more percent per step',
    ]);
  });

  it('fails when a linear deployment’s steps exceed 33 hours, counting the steps', () => {
    const problems = problemsOf(
      onEcs({
        strategy: { type: 'linear', percent: 5, intervalMinutes: 120 },
        terminationWaitMinutes: 0,
      }),
    );
    expect(problems).toEqual([
      expect.stringContaining(
        'terminationWaitMinutes 0 + intervalMinutes 120 × 19 steps = 2280 minutes, over the 1980 (33 hours)',
      ),
    ]);
  });

  it('accepts the same linear deployment under CodeDeploy, whose limits differ', () => {
    expect(() =>
      parseInfraConfig('test', {
        ...staging,
        deployment: {
          strategy: { type: 'linear', percent: 2, intervalMinutes: 1500 },
          terminationWaitMinutes: 2000,
        },
      }),
    ).not.toThrow();
  });
});
