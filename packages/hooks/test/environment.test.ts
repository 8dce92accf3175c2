import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HOOK_VARIABLES,
  hookEnvironment,
  hookEnvironmentPatch,
  readHookEnvironment,
  type HookEnvironmentValues,
} from '../src/environment.js';
import { readHookSettings } from '../src/settings.js';

const required: HookEnvironmentValues = {
  lifecycleEvent: 'AfterAllowTestTraffic',
  listenerProtocol: 'http',
  listenerPort: 9000,
  siteHost: 'myapp.example.com',
  healthPath: '/healthz',
  pagePath: '/',
  versionPath: '/version',
  containerName: 'webapp-color',
  versionVariable: 'APP_VERSION',
  requireVersion: true,
  checkBudgetMs: 240_000,
  loadBalancerEniDescription: 'ELB app/web/1',
};

describe('hookEnvironment', () => {
  it('writes every required value under the name the hook reads', () => {
    expect(hookEnvironment(required)).toEqual({
      HOOK_LIFECYCLE_EVENT: 'AfterAllowTestTraffic',
      LISTENER_PROTOCOL: 'http',
      LISTENER_PORT: '9000',
      SITE_HOST: 'myapp.example.com',
      HEALTH_PATH: '/healthz',
      PAGE_PATH: '/',
      VERSION_PATH: '/version',
      CONTAINER_NAME: 'webapp-color',
      VERSION_VARIABLE: 'APP_VERSION',
      REQUIRE_VERSION: 'true',
      CHECK_BUDGET_MS: '240000',
      LOAD_BALANCER_ENI_DESCRIPTION: 'ELB app/web/1',
    });
  });

  it('writes the optional values too, and the hook reads back what was written', () => {
    const environment = hookEnvironment({
      ...required,
      lifecycleEvent: 'AfterAllowTraffic',
      listenerProtocol: 'https',
      listenerPort: 443,
      requestTimeoutMs: 1_000,
      retryDelayMs: 50,
      liveImageTag: 'live',
      previousImageTag: 'previous',
    });
    expect(environment).toMatchObject({
      REQUEST_TIMEOUT_MS: '1000',
      RETRY_DELAY_MS: '50',
      LIVE_IMAGE_TAG: 'live',
      PREVIOUS_IMAGE_TAG: 'previous',
    });
    expect(readHookSettings(environment)).toEqual({
      checks: {
        lifecycleEvent: 'AfterAllowTraffic',
        listener: { protocol: 'https', port: 443 },
        host: 'myapp.example.com',
        healthPath: '/healthz',
        pagePath: '/',
        versionPath: '/version',
        containerName: 'webapp-color',
        versionVariable: 'APP_VERSION',
        requireVersion: true,
        budgetMs: 240_000,
        requestTimeoutMs: 1_000,
        retryDelayMs: 50,
        protectImage: { liveTag: 'live', previousTag: 'previous' },
      },
      deadlineMs: 600_000,
      loadBalancerEniDescription: 'ELB app/web/1',
    });
  });
});

describe('hookEnvironmentPatch', () => {
  it('writes only the values given', () => {
    expect(hookEnvironmentPatch({ listenerPort: 41900, retryDelayMs: 100 })).toEqual({
      LISTENER_PORT: '41900',
      RETRY_DELAY_MS: '100',
    });
  });

  it('changes what the hook reads when spread over its environment', () => {
    const environment = {
      ...hookEnvironment(required),
      ...hookEnvironmentPatch({
        listenerPort: 41900,
        loadBalancerEniDescription: 'ELB app/rehearsal/0',
        checkBudgetMs: 4_000,
        retryDelayMs: 100,
      }),
    };
    const settings = readHookSettings(environment);
    expect(settings.checks.listener.port).toBe(41900);
    expect(settings.checks.budgetMs).toBe(4_000);
    expect(settings.checks.retryDelayMs).toBe(100);
    expect(settings.loadBalancerEniDescription).toBe('ELB app/rehearsal/0');
  });
});

describe('readHookEnvironment', () => {
  it('reads back the values hookEnvironment wrote', () => {
    expect(readHookEnvironment(hookEnvironment(required))).toEqual(required);
  });

  it('leaves out what is unset, unresolved or not of its kind', () => {
    const read = readHookEnvironment({
      ...hookEnvironment(required),
      LOAD_BALANCER_ENI_DESCRIPTION: { 'Fn::Join': ['', ['ELB ', { Ref: 'Alb' }]] },
      LISTENER_PROTOCOL: 'gopher',
      LISTENER_PORT: 'eighty',
      REQUIRE_VERSION: 'yes',
      HOOK_LIFECYCLE_EVENT: 'BeforeInstall',
    });
    expect(read).not.toHaveProperty('loadBalancerEniDescription');
    expect(read).not.toHaveProperty('listenerProtocol');
    expect(read).not.toHaveProperty('listenerPort');
    expect(read).not.toHaveProperty('requireVersion');
    expect(read).not.toHaveProperty('lifecycleEvent');
    expect(read).not.toHaveProperty('retryDelayMs');
    expect(read.siteHost).toBe('myapp.example.com');
  });
});

describe('README', () => {
  it('lists every variable as HOOK_VARIABLES describes it', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = Object.entries(HOOK_VARIABLES).map(([field, variable]) =>
      [
        '',
        ` \`${variable.name}\` `,
        ` \`${field}\` `,
        ` ${variable.summary} `,
        ` ${'default' in variable ? variable.default : 'required'} `,
        '',
      ].join('|'),
    );
    const table = ['| Variable | Value | Meaning | Default |', '| --- | --- | --- | --- |', ...rows]
      .join('\n')
      .replace(/ +/g, ' ');
    expect(readme.replace(/ +/g, ' ').replace(/-{3,}/g, '---'), 'the table in README.md').toContain(
      table,
    );
  });
});
