import { existsSync, symlinkSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from 'aws-cdk-lib';
import { startAwsStandIn, type AwsStandIn } from '@webapp-color/aws-local';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HOOK_VARIABLES,
  hookApiCalls,
  hookEnvironmentPatch,
  readHookEnvironment,
  type CheckResult,
  type HookEnvironmentValues,
  type HookEvent,
} from '@webapp-color/hooks';
import { resourcesOf, roleActions, stagingConfig, synthesize } from './support.js';
import { selfSignedCertificate } from './tls-fixture.js';

/**
 * The synthesized hook bundle (what `cdk deploy` uploads), run against the
 * local AWS stand-in and a loopback "load balancer": the environment is the
 * one the template gives the function, with only the listener port, the
 * load balancer's ENI description and the timings pointed at loopback.
 */

const { stacks, app } = synthesize(stagingConfig, webappColor);
const resources = resourcesOf(app);
const assembly = (stacks.app.node.root as App).synth();

type Handler = (event: HookEvent) => Promise<CheckResult>;

interface HookUnderTest {
  readonly environment: Record<string, unknown>;
  readonly handler: Handler;
  readonly policyActions: string[];
}

const infraModules = fileURLToPath(new URL('../node_modules', import.meta.url));

function hookUnderTest(lifecycleEvent: string): HookUnderTest {
  const [, fn] = Object.entries(resources).find(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Function' &&
      readHookEnvironment(
        (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables ?? {},
      ).lifecycleEvent === lifecycleEvent,
  )!;
  const { S3Key } = fn.Properties.Code as { S3Key: string };
  const bundleDir = join(assembly.directory, `asset.${S3Key.replace(/\.zip$/, '')}`);
  // The Lambda runtime provides the AWS SDK (an external of the bundle); here infra's copy does.
  if (!existsSync(join(bundleDir, 'node_modules'))) {
    symlinkSync(infraModules, join(bundleDir, 'node_modules'));
  }
  const { handler } = createRequire(import.meta.url)(join(bundleDir, 'index.js')) as {
    handler: Handler;
  };
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policyActions = roleActions(resources, roleId);
  return {
    environment: (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    handler,
    policyActions,
  };
}

/** A loopback listener that answers as the app does, serving one version. */
interface FakeListener {
  version: string;
  healthy: boolean;
}

function answer(state: FakeListener) {
  return (req: { url?: string }, res: ServerResponse) => {
    if (req.url === webappColor.container.healthCheckPath) {
      res.writeHead(state.healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ status: state.healthy ? 'ok' : 'starting', version: state.version }),
      );
    } else if (req.url === '/version') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(state.version);
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Hello from test!</h1>');
    } else {
      res.writeHead(404).end();
    }
  };
}

const ENI_DESCRIPTION = 'ELB app/myproject-staging-alb/50dc6c495c0c9188';
const TASK_DEFINITION = (revision: number) =>
  `arn:aws:ecs:us-east-2:123456789012:task-definition/myproject-staging-webapp-color:${revision}`;
const appSpec = (revision: number) =>
  [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    `        TaskDefinition: "${TASK_DEFINITION(revision)}"`,
    '        LoadBalancerInfo:',
    `          ContainerName: "${webappColor.container.name}"`,
    `          ContainerPort: ${webappColor.container.port}`,
    '',
  ].join('\n');

/** An image index (OCI index or Docker manifest list) over one image and one more entry. */
function imageIndex(mediaType: string, release: string): string {
  const child = mediaType.includes('oci')
    ? 'application/vnd.oci.image.manifest.v1+json'
    : 'application/vnd.docker.distribution.manifest.v2+json';
  const digest = (seed: string) => `sha256:${seed.padEnd(64, '0')}`;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType,
    manifests: [
      {
        mediaType: child,
        digest: digest(release),
        size: 1000,
        platform: { architecture: 'amd64', os: 'linux' },
      },
      {
        mediaType: child,
        digest: digest(`${release}f`),
        size: 500,
        platform: { architecture: 'arm64', os: 'linux' },
      },
    ],
  });
}

let aws: AwsStandIn;
let testListener: Server;
let productionListener: Server;
const testState: FakeListener = { version: 'c0ffee1', healthy: true };
const productionState: FakeListener = { version: 'c0ffee1', healthy: true };
let caFile: string;
const savedEnv = { ...process.env };
let hookExecution = 0;
let loopbackPorts: { test: number; production: number };
const standInEnvironment: Record<string, string> = {};

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const tls = selfSignedCertificate(stagingConfig.site.domainName);
  caFile = tls.certFile;
  testListener = createServer(answer(testState));
  productionListener = createHttpsServer({ key: tls.key, cert: tls.cert }, answer(productionState));
  aws = await startAwsStandIn({
    deployments: [
      {
        deploymentId: 'd-RELEASE02',
        applicationName: 'myproject-staging-app',
        deploymentGroupName: 'myproject-staging-group',
        appSpecContent: appSpec(2),
        lifecycleEventHookExecutionIds: [],
      },
    ],
    // The original task set (created by the release before) still runs
    // beside this deployment's when the AfterAllowTraffic hook runs.
    services: [
      {
        clusterName: 'myproject-staging-cluster',
        serviceName: 'myproject-staging-webapp-color',
        taskSets: [
          {
            id: 'ecs-svc/1234567890123456789',
            externalId: 'd-RELEASE01',
            status: 'ACTIVE',
            taskDefinition: TASK_DEFINITION(1),
            trafficWeight: 0,
          },
          {
            id: 'ecs-svc/9876543210987654321',
            externalId: 'd-RELEASE02',
            status: 'PRIMARY',
            taskDefinition: TASK_DEFINITION(2),
            trafficWeight: 100,
          },
        ],
      },
    ],
    taskDefinitions: [1, 2].map((revision) => ({
      family: 'myproject-staging-webapp-color',
      revision,
      containerDefinitions: [
        {
          name: webappColor.container.name,
          image: `123456789012.dkr.ecr.us-east-2.amazonaws.com/webapp-color:${revision === 1 ? 'a11ce00' : 'c0ffee1'}`,
          environment: [
            { name: 'NODE_ENV', value: 'production' },
            { name: 'APP_VERSION', value: revision === 1 ? 'a11ce00' : 'c0ffee1' },
          ],
        },
      ],
    })),
    repositories: [
      {
        repositoryName: 'webapp-color',
        mutableTags: [webappColor.build.cacheImageTag, 'live', 'previous'],
        images: [
          // A multi-arch release: a Docker manifest list.
          {
            manifest: imageIndex(
              'application/vnd.docker.distribution.manifest.list.v2+json',
              'a11ce00',
            ),
            mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
            tags: ['a11ce00'],
          },
          // A release an alarm rolled back after its AfterAllowTraffic hook
          // had tagged it live: production went back to a11ce00.
          { manifest: '{"schemaVersion":2,"config":"bad0001"}', tags: ['bad0001', 'live'] },
          // As `docker buildx build --push` pushes it with its provenance
          // attestation: an OCI image index.
          {
            manifest: imageIndex('application/vnd.oci.image.index.v1+json', 'c0ffee1'),
            mediaType: 'application/vnd.oci.image.index.v1+json',
            tags: ['c0ffee1'],
          },
        ],
      },
    ],
    networkInterfaces: [
      {
        networkInterfaceId: 'eni-0a1',
        description: ENI_DESCRIPTION,
        privateIpAddress: '127.0.0.1',
      },
      {
        networkInterfaceId: 'eni-0b2',
        description: 'ELB app/someone-else/1',
        privateIpAddress: '10.9.9.9',
      },
    ],
  });
  const ports = { test: await listen(testListener), production: await listen(productionListener) };
  Object.assign(standInEnvironment, {
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: 'us-east-2',
    AWS_ACCESS_KEY_ID: 'AKIDLOCALSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'local-stand-in-secret',
  });
  loopbackPorts = ports;
});

afterAll(async () => {
  process.env = savedEnv;
  for (const server of [testListener, productionListener]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await aws.close();
});

/**
 * Run one hook invocation the way CodeDeploy would, with the template's
 * environment; `raw` sets variables to values the typed ones cannot hold.
 */
async function invoke(
  hook: HookUnderTest,
  overrides: Partial<HookEnvironmentValues> = {},
  raw: Record<string, string> = {},
) {
  const hookId = `hook-${++hookExecution}`;
  aws.world.deployments[0]!.lifecycleEventHookExecutionIds.push(hookId);
  const firstCall = aws.calls.length;
  const environment = Object.fromEntries(
    Object.entries(hook.environment).map(([name, value]) => [name, String(value as string)]),
  );
  const isProduction = readHookEnvironment(environment).lifecycleEvent === 'AfterAllowTraffic';
  // Each invocation sees only its own function's variables, as in Lambda.
  process.env = { ...savedEnv, ...standInEnvironment, ...environment };
  Object.assign(
    process.env,
    hookEnvironmentPatch({
      listenerPort: isProduction ? loopbackPorts.production : loopbackPorts.test,
      loadBalancerEniDescription: ENI_DESCRIPTION,
      listenerCaFile: caFile,
      retryDelayMs: 50,
      requestTimeoutMs: 1000,
      ...overrides,
    }),
    raw,
  );
  const result = await hook.handler({
    DeploymentId: 'd-RELEASE02',
    LifecycleEventHookExecutionId: hookId,
  });
  const report = aws.hookReports.find((r) => r.lifecycleEventHookExecutionId === hookId);
  const calls = aws.calls.slice(firstCall).map((call) => `${call.service}:${call.operation}`);
  return { result, report: report?.status, calls };
}

describe('the synthesized hook bundle against the local AWS stand-in', () => {
  const testTraffic = hookUnderTest('AfterAllowTestTraffic');
  const production = hookUnderTest('AfterAllowTraffic');

  it('gives the bundle the settings the template sets, pointing only the port and addresses at loopback', () => {
    expect(readHookEnvironment(testTraffic.environment)).toMatchObject({
      listenerProtocol: 'http',
      listenerPort: stagingConfig.loadBalancer.testListenerPort,
    });
    // Resolved only in an account: the load balancer's name.
    expect(testTraffic.environment[HOOK_VARIABLES.loadBalancerEniDescription.name]).toMatchObject({
      'Fn::Join': ['', expect.arrayContaining(['ELB '])],
    });
    expect(readHookEnvironment(production.environment)).toMatchObject({
      listenerProtocol: 'https',
      listenerPort: 443,
    });
  });

  it('reports Succeeded when green serves the released version on the test listener', async () => {
    Object.assign(testState, { version: 'c0ffee1', healthy: true });
    const { result, report } = await invoke(testTraffic);
    expect(result.messages).toContain('127.0.0.1: healthy, serving c0ffee1');
    expect(report).toBe('Succeeded');
  });

  it('fails when the test listener still serves the old version (stale listener), reporting Failed', async () => {
    Object.assign(testState, { version: 'bad0001', healthy: true });
    const { result, report } = await invoke(testTraffic, { checkBudgetMs: 3000 });
    expect(result.messages.join('\n')).toMatch(/serves version bad0001, not c0ffee1/);
    expect(report).toBe('Failed');
  });

  it('fails when green is unhealthy, reporting Failed', async () => {
    Object.assign(testState, { version: 'c0ffee1', healthy: false });
    const { result, report } = await invoke(testTraffic, { checkBudgetMs: 3000 });
    expect(result.messages.join('\n')).toMatch(/healthz: HTTP 503/);
    expect(report).toBe('Failed');
  });

  it('creates the live tag on the release and previous on the image production served before it, when production serves the new version over TLS', async () => {
    Object.assign(productionState, { version: 'c0ffee1', healthy: true });
    const { report, result } = await invoke(production);
    expect(report).toBe('Succeeded');
    // …and the image production now runs can no longer expire, nor the one
    // production served before this deployment (the original task set's),
    // not the rolled-back release that still carried `live`.
    expect(result.messages).toContain(
      'webapp-color:c0ffee1 tagged live, webapp-color:a11ce00 (served before) tagged previous',
    );
    expect(aws.world.repositories![0]!.images.map((image) => image.tags)).toEqual([
      ['a11ce00', 'previous'],
      ['bad0001'],
      ['c0ffee1', 'live'],
    ]);
    // Both image indexes were put back as they were: same manifest, same media type.
    const putImages = aws.calls.filter((call) => call.operation === 'PutImage');
    expect(
      putImages.map(
        (call) => (call.input as { imageManifestMediaType?: string }).imageManifestMediaType,
      ),
    ).toEqual([
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.oci.image.index.v1+json',
    ]);
    expect(aws.world.repositories![0]!.images).toHaveLength(3);
  });

  it('does not read images without naming the manifest media types it takes (image manifests and indexes)', () => {
    const reads = aws.calls.filter((call) => call.operation === 'BatchGetImage');
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      expect((read.input as { acceptedMediaTypes?: unknown }).acceptedMediaTypes).toEqual([
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
      ]);
    }
  });

  it('fails when production still serves the old version after traffic moved, reporting Failed', async () => {
    Object.assign(productionState, { version: 'bad0001', healthy: true });
    const { report } = await invoke(production, { checkBudgetMs: 3000 });
    expect(report).toBe('Failed');
  });

  it('fails when its environment is broken, and still reports Failed', async () => {
    const protocol = HOOK_VARIABLES.listenerProtocol.name;
    const { result, report } = await invoke(testTraffic, {}, { [protocol]: 'gopher' });
    expect(result.messages.join('\n')).toContain(`${protocol} = "gopher"`);
    expect(report).toBe('Failed');
  });

  it('makes only calls its role allows, and its role allows nothing else', async () => {
    Object.assign(testState, { version: 'c0ffee1', healthy: true });
    Object.assign(productionState, { version: 'c0ffee1', healthy: true });
    for (const hook of [testTraffic, production]) {
      const { calls } = await invoke(hook);
      const event = readHookEnvironment(hook.environment).lifecycleEvent!;
      expect(new Set(calls)).toEqual(
        new Set(hookApiCalls(event).map((c) => `${c.service}:${c.operation}`)),
      );
      // The services' IAM prefixes are their SDK names: codedeploy, ecs, ec2, ecr.
      expect(new Set(calls)).toEqual(new Set(hook.policyActions));
    }
  });
});
