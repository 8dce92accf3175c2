import { describe, expect, it } from 'vitest';
import {
  InfraConfigError,
  PromotionError,
  environmentNames,
  environments,
  loadEnvironments,
  loadInfraConfig,
  parseEnvironments,
  parseInfraConfig,
  promotionChain,
} from '../config/index.js';
import { production } from '../config/production.js';
import { staging } from '../config/staging.js';

function configProblems(input: unknown): string[] {
  try {
    parseInfraConfig('test', input);
  } catch (error) {
    if (error instanceof InfraConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

function promotionProblems(inputs: Record<string, unknown>): string[] {
  try {
    parseEnvironments(inputs);
  } catch (error) {
    if (error instanceof PromotionError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the environments to be rejected');
}

describe('environments', () => {
  it('registers production, promoted from staging, stricter than staging', () => {
    const configs = loadEnvironments();
    expect(Object.keys(configs)).toEqual(expect.arrayContaining(['staging', 'production']));
    const prod = loadInfraConfig('production');
    const stage = loadInfraConfig('staging');
    expect(prod.promotion).toEqual({
      from: 'staging',
      approval: { timeoutMinutes: 1440 },
      window: { cron: '* * 9-16 ? * MON-FRI', timeZone: 'Europe/Paris', durationMinutes: 480 },
    });
    expect(stage.promotion).toBeUndefined();
    expect(prod.service.minCount).toBeGreaterThan(stage.service.minCount);
    expect(prod.deployment.terminationWaitMinutes).toBeGreaterThan(
      stage.deployment.terminationWaitMinutes,
    );
    expect(prod.alarms.target5xxPerMinute).toBeLessThan(stage.alarms.target5xxPerMinute);
    expect(prod.site.domainName).not.toBe(stage.site.domainName);
    expect(prod.deployment).toMatchObject({
      controller: 'ecs',
      pause: { stage: 'POST_TEST_TRAFFIC_SHIFT', timeoutMinutes: 60, onTimeout: 'ROLLBACK' },
    });
  });

  it('orders the chain staging owns: staging, then production', () => {
    const configs = loadEnvironments();
    expect(promotionChain('staging', configs).map((config) => config.environment)).toEqual([
      'staging',
      'production',
    ]);
    expect(promotionChain('production', configs)).toEqual([]);
  });

  it('rejects a promotion.from that names no registered environment', () => {
    const problems = promotionProblems({
      staging,
      production: { ...production, promotion: { from: 'stagin' } },
    });
    expect(problems).toEqual([
      'production: promotion.from = "stagin": not a registered environment; expected one of staging',
    ]);
  });

  it('rejects a promotion cycle, naming each environment on it', () => {
    const problems = promotionProblems({
      staging: { ...staging, promotion: { from: 'production' } },
      production,
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^staging: promotion\.from = "production": promotion cycle staging → production → staging; /,
      ),
      expect.stringMatching(
        /^production: promotion\.from = "staging": promotion cycle production → staging → production; /,
      ),
    ]);
  });

  it('rejects an environment promoted from itself', () => {
    expect(configProblems({ ...staging, promotion: { from: 'staging' } })).toEqual([
      'promotion.from = "staging": must name another environment, not this one',
    ]);
  });

  it('rejects a chain whose prefixes differ (the build names resources from it)', () => {
    const problems = promotionProblems({ staging, production: { ...production, prefix: 'other' } });
    expect(problems).toEqual([expect.stringMatching(/^production: prefix = "other": must equal/)]);
  });

  it('rejects an account on production when staging names none (production could not name whom it trusts)', () => {
    expect(
      promotionProblems({ staging, production: { ...production, account: '444455556666' } }),
    ).toEqual([
      expect.stringMatching(
        /^production: account = "444455556666": promotion\.from staging sets no account/,
      ),
    ]);
  });

  it('rejects a bad account, naming field, value and what is allowed', () => {
    expect(configProblems({ ...production, account: '12345' })).toEqual([
      'account = "12345": must be a 12-digit AWS account id',
    ]);
  });

  it('rejects a bad window: cron fields, characters, time zone, duration', () => {
    const window = (value: object) =>
      configProblems({ ...production, promotion: { from: 'staging', window: value } });
    expect(window({ cron: '0 9 * * 1-5', durationMinutes: 60 })).toEqual([
      expect.stringMatching(
        /^promotion\.window\.cron = "0 9 \* \* 1-5": must be a CodePipeline DeploymentWindow cron of 6 fields/,
      ),
    ]);
    expect(window({ cron: '* * 9-16 ? * MON-FRI;', durationMinutes: 60 })).toEqual([
      expect.stringMatching(/^promotion\.window\.cron = .*may only hold/),
    ]);
    expect(
      window({ cron: '* * 9-16 ? * MON-FRI', timeZone: 'Mars/Olympus', durationMinutes: 60 }),
    ).toEqual([
      'promotion.window.timeZone = "Mars/Olympus": must be an IANA time zone such as Europe/Paris or UTC',
    ]);
    expect(window({ cron: '* * 9-16 ? * MON-FRI' })).toEqual([
      expect.stringMatching(/^promotion\.window\.durationMinutes = \(missing\)/),
    ]);
  });

  it('rejects a pause on a codedeploy environment and a pause the Deploy action cannot wait out', () => {
    expect(
      configProblems({
        ...staging,
        deployment: {
          ...staging.deployment,
          pause: { stage: 'POST_TEST_TRAFFIC_SHIFT', timeoutMinutes: 10, onTimeout: 'ROLLBACK' },
        },
      }),
    ).toEqual([expect.stringMatching(/^deployment\.pause = .*needs deployment\.controller 'ecs'/)]);
    expect(
      configProblems({
        ...production,
        deployment: {
          ...production.deployment,
          pause: { stage: 'POST_TEST_TRAFFIC_SHIFT', timeoutMinutes: 600, onTimeout: 'ROLLBACK' },
        },
      }),
    ).toEqual([
      expect.stringMatching(
        /^deployment\.pause\.timeoutMinutes = 600: .* = 680, over the 480 .*; at most 400$/,
      ),
    ]);
    expect(
      configProblems({
        ...production,
        deployment: {
          ...production.deployment,
          pause: { stage: 'PRE_SCALE_UP', timeoutMinutes: 10, onTimeout: 'WAIT' },
        },
      }),
    ).toEqual([
      expect.stringMatching(
        /^deployment\.pause\.stage = "PRE_SCALE_UP": .*POST_TEST_TRAFFIC_SHIFT/,
      ),
      expect.stringMatching(/^deployment\.pause\.onTimeout = "WAIT": .*CONTINUE.*ROLLBACK/),
    ]);
  });

  it('names every release resource from <prefix>-<environment>, one function for stack and build', () => {
    expect(
      environmentNames({ prefix: 'myproject', environment: 'production', appName: 'webapp-color' }),
    ).toEqual({
      namePrefix: 'myproject-production',
      taskFamily: 'myproject-production-webapp-color',
      taskRole: 'myproject-production-task',
      executionRole: 'myproject-production-task-execution',
      logGroup: '/ecs/myproject-production-webapp-color',
      repository: 'myproject-production-webapp-color',
      afterAllowTestTrafficHook: 'myproject-production-after-allow-test-traffic',
      afterAllowTrafficHook: 'myproject-production-after-allow-traffic',
      cluster: 'myproject-production',
      service: 'myproject-production-webapp-color',
      codeDeployApplication: 'myproject-production',
      deploymentGroup: 'myproject-production-webapp-color',
      deployRole: 'myproject-production-promotion-deploy',
      buildRole: 'myproject-production-release-build',
    });
    // The hook names the schema defaults to are the same function's.
    const prod = loadInfraConfig('production');
    const names = environmentNames({ ...prod, appName: 'webapp-color' });
    expect(prod.smokeTest.functionNames).toEqual({
      afterAllowTestTraffic: names.afterAllowTestTrafficHook,
      afterAllowTraffic: names.afterAllowTrafficHook,
    });
    expect(Object.keys(environments)).toContain('production');
  });
});
