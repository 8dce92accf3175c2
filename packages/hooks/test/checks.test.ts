import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from '../src/http.js';
import { selfSignedCertificate } from './tls-fixture.js';
import { readHookSettings } from '../src/settings.js';
import {
  runChecks,
  taskDefinitionFromAppSpec,
  type CheckPorts,
  type CheckSettings,
  type HookStatus,
  type HttpResponse,
} from '../src/checks.js';

const TASK_DEF =
  'arn:aws:ecs:us-east-2:123456789012:task-definition/myproject-staging-webapp-color:33';
const APPSPEC = `version: 0.0\nResources:\n  - TargetService:\n      Type: AWS::ECS::Service\n      Properties:\n        TaskDefinition: "${TASK_DEF}"\n`;
const event = { DeploymentId: 'd-ABC', LifecycleEventHookExecutionId: 'hook-1' };
const settings: CheckSettings = {
  lifecycleEvent: 'AfterAllowTestTraffic',
  listener: { protocol: 'http', port: 9000 },
  host: 'myapp.example.com',
  healthPath: '/healthz',
  pagePath: '/',
  versionPath: '/version',
  containerName: 'webapp-color',
  versionVariable: 'APP_VERSION',
  requireVersion: true,
  budgetMs: 60_000,
  requestTimeoutMs: 1_000,
  retryDelayMs: 5_000,
};

function fakePorts(
  overrides: Partial<CheckPorts> & { responses?: (url: string) => HttpResponse } = {},
) {
  let clock = 0;
  const reports: HookStatus[] = [];
  const requests: string[] = [];
  const ports: CheckPorts = {
    getAppSpecContent: () => Promise.resolve(APPSPEC),
    getContainerEnvironment: (arn, name) =>
      Promise.resolve<Record<string, string>>(
        arn === TASK_DEF && name === 'webapp-color'
          ? { APP_VERSION: 'abc1234', NODE_ENV: 'production' }
          : {},
      ),
    getLoadBalancerAddresses: () => Promise.resolve(['10.1.0.10', '10.1.16.10']),
    httpGet: (url) => {
      requests.push(url);
      return Promise.resolve(
        overrides.responses?.(url) ?? {
          status: 200,
          body: url.endsWith('/version') ? 'abc1234' : '<html>ok</html>',
        },
      );
    },
    reportStatus: (_id, _hook, status) => {
      reports.push(status);
      return Promise.resolve();
    },
    sleep: (ms) => {
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    log: () => undefined,
    protectImage: (_deployment, arn, _name, tags) =>
      Promise.resolve(`${arn} tagged ${tags.liveTag}`),
    ...overrides,
  };
  return { ports, reports, requests };
}

describe('hook checks', () => {
  it('reads the task definition from a YAML or JSON AppSpec', () => {
    expect(taskDefinitionFromAppSpec(APPSPEC)).toBe(TASK_DEF);
    expect(
      taskDefinitionFromAppSpec(
        JSON.stringify({
          Resources: [{ TargetService: { Properties: { TaskDefinition: TASK_DEF } } }],
        }),
      ),
    ).toBe(TASK_DEF);
    expect(taskDefinitionFromAppSpec('TaskDefinition: <TASK_DEFINITION>')).toBeUndefined();
  });

  it('succeeds when every node answers health, page and the expected version, and reports Succeeded', async () => {
    const { ports, reports, requests } = fakePorts();
    const result = await runChecks(event, settings, ports);
    expect(result.status).toBe('Succeeded');
    expect(reports).toEqual(['Succeeded']);
    expect(requests).toEqual([
      'http://10.1.0.10:9000/healthz',
      'http://10.1.0.10:9000/',
      'http://10.1.0.10:9000/version',
      'http://10.1.16.10:9000/healthz',
      'http://10.1.16.10:9000/',
      'http://10.1.16.10:9000/version',
    ]);
  });

  it('retries a failing health route until it passes, within the budget', async () => {
    let calls = 0;
    const { ports, reports } = fakePorts({
      responses: (url) => {
        if (url.endsWith('/healthz') && calls++ < 3) return { status: 503, body: '' };
        return { status: 200, body: url.endsWith('/version') ? 'abc1234' : 'page' };
      },
    });
    expect((await runChecks(event, settings, ports)).status).toBe('Succeeded');
    expect(reports).toEqual(['Succeeded']);
  });

  it('fails and reports Failed when the health route never passes within the budget (bounded retries)', async () => {
    const { ports, reports, requests } = fakePorts({
      responses: () => ({ status: 502, body: '' }),
    });
    const result = await runChecks(event, settings, ports);
    expect(result.status).toBe('Failed');
    expect(reports).toEqual(['Failed']);
    expect(requests.length).toBeLessThanOrEqual(settings.budgetMs / settings.retryDelayMs + 1);
    expect(result.messages.join('\n')).toMatch(/healthz: HTTP 502 after \d+ attempt/);
  });

  it('fails when the release answers another version', async () => {
    const { ports, reports } = fakePorts({
      responses: (url) => ({
        status: 200,
        body: url.endsWith('/version') ? '{"version":"old0000"}' : 'page',
      }),
    });
    const result = await runChecks(event, { ...settings, budgetMs: 1_000 }, ports);
    expect(result.status).toBe('Failed');
    expect(result.messages.join('\n')).toMatch(/serves version old0000, not abc1234/);
    expect(reports).toEqual(['Failed']);
  });

  // The release is exactly the version its task definition carries: a dirty
  // build of the same commit, a shorter or longer id, another case, the
  // version inside a longer text are all another release.
  it.each([
    'abc1234-dirty',
    'abc123',
    'abc12345',
    'xabc1234',
    'ABC1234',
    'abc1234 abc1234',
    '{"version":"abc1234-dirty"}',
    '{"version":"bc1234"}',
  ])('fails when the release serves %s, not exactly abc1234', async (served) => {
    const { ports, reports } = fakePorts({
      responses: (url) => ({ status: 200, body: url.endsWith('/version') ? served : 'page' }),
    });
    const result = await runChecks(event, { ...settings, budgetMs: 1_000 }, ports);
    expect(result.status).toBe('Failed');
    expect(result.messages.join('\n')).toMatch(/serves version .*, not abc1234/);
    expect(reports).toEqual(['Failed']);
  });

  it.each(['abc1234', 'abc1234\n', '{"version":"abc1234"}'])(
    'succeeds when the release serves exactly the version (%j)',
    async (served) => {
      const { ports, reports } = fakePorts({
        responses: (url) => ({ status: 200, body: url.endsWith('/version') ? served : 'page' }),
      });
      expect((await runChecks(event, settings, ports)).status).toBe('Succeeded');
      expect(reports).toEqual(['Succeeded']);
    },
  );

  it('fails when the task definition carries no version and one is required, and skips the check otherwise', async () => {
    const missing = fakePorts({ getContainerEnvironment: () => Promise.resolve({}) });
    expect((await runChecks(event, settings, missing.ports)).messages.join('\n')).toMatch(
      /sets no APP_VERSION/,
    );
    expect(missing.reports).toEqual(['Failed']);
    const optional = fakePorts({ getContainerEnvironment: () => Promise.resolve({}) });
    expect(
      (await runChecks(event, { ...settings, requireVersion: false }, optional.ports)).status,
    ).toBe('Succeeded');
    expect(optional.requests.some((u) => u.endsWith('/version'))).toBe(false);
  });

  it('reports Failed even when an AWS call throws', async () => {
    const { ports, reports } = fakePorts({
      getLoadBalancerAddresses: () => Promise.reject(new Error('AccessDenied')),
    });
    const result = await runChecks(event, settings, ports);
    expect(result.status).toBe('Failed');
    expect(result.messages.join('\n')).toMatch(/AccessDenied/);
    expect(reports).toEqual(['Failed']);
  });
  it('fails when a check never returns, reporting Failed by the deadline', async () => {
    const { ports, reports } = fakePorts({
      getLoadBalancerAddresses: () => new Promise<string[]>(() => undefined),
      now: () => Date.now(),
    });
    const started = Date.now();
    const result = await runChecks(event, { ...settings, budgetMs: 200 }, ports);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.messages.join('\n')).toMatch(/did not finish within 200 ms/);
    expect(reports).toEqual(['Failed']);
  });

  it('tags the released image after production serves it, and not when a check failed', async () => {
    const protect = { liveTag: 'live', previousTag: 'previous' };
    const good = fakePorts();
    const production = {
      ...settings,
      lifecycleEvent: 'AfterAllowTraffic' as const,
      protectImage: protect,
    };
    const result = await runChecks(event, production, good.ports);
    expect(result.messages).toContain(`${TASK_DEF} tagged live`);
    expect(good.reports).toEqual(['Succeeded']);
    let tagged = false;
    const stale = fakePorts({
      responses: (url) => ({ status: 200, body: url.endsWith('/version') ? 'old0000' : 'page' }),
      protectImage: () => {
        tagged = true;
        return Promise.resolve('tagged');
      },
    });
    await runChecks(event, { ...production, budgetMs: 1_000 }, stale.ports);
    expect(tagged).toBe(false);
    expect(stale.reports).toEqual(['Failed']);
  });

  it('checks the production listener over https when it is the target', async () => {
    const { ports, requests } = fakePorts();
    const production: CheckSettings = {
      ...settings,
      lifecycleEvent: 'AfterAllowTraffic',
      listener: { protocol: 'https', port: 443 },
    };
    expect((await runChecks(event, production, ports)).status).toBe('Succeeded');
    expect(requests[0]).toBe('https://10.1.0.10:443/healthz');
  });
});

describe('hook settings', () => {
  const env = {
    HOOK_LIFECYCLE_EVENT: 'AfterAllowTraffic',
    LISTENER_PROTOCOL: 'https',
    LISTENER_PORT: '443',
    SITE_HOST: 'myapp.example.com',
    HEALTH_PATH: '/healthz',
    PAGE_PATH: '/',
    VERSION_PATH: '/version',
    CONTAINER_NAME: 'webapp-color',
    VERSION_VARIABLE: 'APP_VERSION',
    REQUIRE_VERSION: 'true',
    CHECK_BUDGET_MS: '240000',
    LOAD_BALANCER_ENI_DESCRIPTION: 'ELB app/web/1',
  };

  it('reads the listener, paths and budget from the environment, with rehearsal defaults', () => {
    const read = readHookSettings(env);
    expect(read.checks.listener).toEqual({ protocol: 'https', port: 443 });
    expect(read.checks).toMatchObject({
      budgetMs: 240_000,
      requestTimeoutMs: 3_000,
      retryDelayMs: 5_000,
    });
    expect(read.loadBalancerEniDescription).toBe('ELB app/web/1');
  });

  it('fails when only one of the image tags is set', () => {
    expect(() => readHookSettings({ ...env, LIVE_IMAGE_TAG: 'live' })).toThrow(
      'LIVE_IMAGE_TAG = "live", PREVIOUS_IMAGE_TAG = "": set both, to two different tags, or neither',
    );
    expect(
      readHookSettings({ ...env, LIVE_IMAGE_TAG: 'live', PREVIOUS_IMAGE_TAG: 'previous' }).checks
        .protectImage,
    ).toEqual({
      liveTag: 'live',
      previousTag: 'previous',
    });
  });

  it('fails naming every unset or unusable variable, its value and what is allowed', () => {
    expect(() =>
      readHookSettings({ ...env, LISTENER_PROTOCOL: 'ftp', LISTENER_PORT: '70000', SITE_HOST: '' }),
    ).toThrow(
      'hook environment: LISTENER_PROTOCOL = "ftp": expected one of http, https; LISTENER_PORT = "70000": expected a whole number from 1 to 65535; SITE_HOST is not set',
    );
  });
});

describe('httpGet (loopback only)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/slow') return; // never answers
      res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'text/plain' });
      res.end(`host=${req.headers.host}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the Host header and returns status and body', async () => {
    await expect(
      httpGet(`http://127.0.0.1:${port}/healthz`, 'myapp.example.com', 1_000),
    ).resolves.toEqual({
      status: 200,
      body: 'host=myapp.example.com',
    });
    await expect(httpGet(`http://127.0.0.1:${port}/nope`, 'x', 1_000)).resolves.toMatchObject({
      status: 404,
    });
  });

  it('gives up after the timeout', async () => {
    await expect(httpGet(`http://127.0.0.1:${port}/slow`, 'x', 200)).rejects.toThrow(
      /timed out after 200 ms/,
    );
  });
});

describe('httpGet over TLS (loopback only)', () => {
  let server: HttpsServer;
  let port: number;
  let ca: string;
  beforeAll(async () => {
    const tls = selfSignedCertificate('myapp.example.com');
    ca = tls.cert;
    server = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      const socket = req.socket as TLSSocket;
      res.end(`sni=${String(socket.servername)} host=${req.headers.host}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the site name as SNI and Host, and verifies the certificate against it', async () => {
    await expect(
      httpGet(`https://127.0.0.1:${port}/`, 'myapp.example.com', 2_000, { ca }),
    ).resolves.toEqual({ status: 200, body: 'sni=myapp.example.com host=myapp.example.com' });
  });

  it('fails when the certificate is not trusted or names another host', async () => {
    await expect(httpGet(`https://127.0.0.1:${port}/`, 'myapp.example.com', 2_000)).rejects.toThrow(
      /self-signed certificate/,
    );
    await expect(
      httpGet(`https://127.0.0.1:${port}/`, 'other.example.com', 2_000, { ca }),
    ).rejects.toThrow(/altnames/);
  });
});
