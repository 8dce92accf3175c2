import { describe, expect, it } from 'vitest';
import { InfraConfigError, loadInfraConfig, parseInfraConfig } from '../config/index.js';
import { staging } from '../config/staging.js';

function problemsOf(input: unknown): string[] {
  try {
    parseInfraConfig('test', input);
  } catch (error) {
    if (error instanceof InfraConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('config', () => {
  it('creates the staging configuration with the example values and defaults filled in', () => {
    const config = loadInfraConfig('staging');
    expect(config).toMatchObject({
      prefix: 'myproject',
      environment: 'staging',
      region: 'us-east-2',
      network: { azCount: 2, vpcCidr: '10.1.0.0/16', natGateways: 'single' },
      source: { branch: 'master' },
      service: { minCount: 2, maxCount: 5 },
      deployment: { strategy: { type: 'all-at-once' }, terminationWaitMinutes: 5 },
      loadBalancer: { healthCheck: { healthyThreshold: 2 } },
      smokeTest: {
        functionNames: {
          afterAllowTestTraffic: 'myproject-staging-after-allow-test-traffic',
          afterAllowTraffic: 'myproject-staging-after-allow-traffic',
        },
      },
      notifications: {},
    });
    expect(config.source.connectionArn).toBeUndefined();
  });

  it('fails when the environment is unknown, naming the known ones', () => {
    expect(() => loadInfraConfig('prod')).toThrow(/Unknown environment "prod".*staging/);
  });

  it('fails when a field is out of range, naming the field, the value and what is allowed', () => {
    const problems = problemsOf({ ...staging, network: { ...staging.network, azCount: 4 } });
    expect(problems).toEqual([expect.stringMatching(/^network\.azCount = 4: .*<=3/)]);
  });

  it('fails when network.azCount asks for 3 zones, which an account-agnostic VPC never spans', () => {
    const problems = problemsOf({ ...staging, network: { ...staging.network, azCount: 3 } });
    expect(problems).toEqual([
      expect.stringMatching(
        /^network\.azCount = 3: must be 2: the stacks are account-agnostic.*silently give 2/,
      ),
    ]);
  });

  it('fails when the deployment strategy is not one of the three', () => {
    const problems = problemsOf({ ...staging, deployment: { strategy: { type: 'blue' } } });
    expect(problems.join('\n')).toMatch(
      /deployment\.strategy\.type = "blue": .*all-at-once.*canary.*linear/,
    );
  });

  it('fails when the site is outside the hosted zone', () => {
    const problems = problemsOf({
      ...staging,
      site: { ...staging.site, domainName: 'myapp.other.org' },
    });
    expect(problems).toEqual([
      'site.domainName = "myapp.other.org": must be inside the hosted zone site.hostedZoneName (example.com), e.g. myapp.example.com',
    ]);
  });

  it('fails when the task counts are inconsistent', () => {
    const problems = problemsOf({
      ...staging,
      service: { minCount: 6, maxCount: 5 },
    });
    expect(problems).toEqual(['service.minCount = 6: must be at most service.maxCount (5)']);
  });

  it('fails when desiredCount is still set: autoscaling owns the count', () => {
    const problems = problemsOf({
      ...staging,
      service: { desiredCount: 2, minCount: 2, maxCount: 5 },
    });
    expect(problems).toEqual([
      'service.desiredCount = 2: unknown field; remove it or fix its spelling',
    ]);
  });

  it('fails when the notification address is not an email address', () => {
    expect(problemsOf({ ...staging, notifications: { email: 'ops' } })).toEqual([
      'notifications.email = "ops": must be an email address such as ops@example.com',
    ]);
  });

  it('fails when the health-check timeout is not shorter than the interval', () => {
    const problems = problemsOf({
      ...staging,
      loadBalancer: { healthCheck: { intervalSeconds: 5, timeoutSeconds: 5 } },
    });
    expect(problems).toEqual([
      'loadBalancer.healthCheck.timeoutSeconds = 5: must be shorter than loadBalancer.healthCheck.intervalSeconds (5)',
    ]);
  });

  it('fails when the connection ARN is malformed or a field is unknown', () => {
    const problems = problemsOf({
      ...staging,
      source: { ...staging.source, connectionArn: 'github' },
      hostedZone: 'x',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^source\.connectionArn = "github": must be a CodeConnections\/CodeStar connection ARN/,
      ),
      'hostedZone = "x": unknown field; remove it or fix its spelling',
    ]);
  });

  it('fails when the hosted-zone id is missing', () => {
    const site: Partial<typeof staging.site> = { ...staging.site };
    delete site.hostedZoneId;
    expect(problemsOf({ ...staging, site })).toEqual([
      expect.stringMatching(/^site\.hostedZoneId = \(missing\): /),
    ]);
  });
});
