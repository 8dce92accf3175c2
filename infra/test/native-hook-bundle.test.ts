import { existsSync, symlinkSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from 'aws-cdk-lib';
import { startAwsStandIn, startRollback, type AwsStandIn } from '@webapp-color/aws-local';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import {
  NATIVE_HOOK_STAGES,
  hookEnvironmentPatch,
  nativeHookApiCalls,
  readHookEnvironment,
  type HookLifecycleEvent,
  type NativeHookEvent,
  type NativeHookResponse,
} from '@webapp-color/hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInfraConfig } from '../config/index.js';
import { stagingEcs } from '../config/staging-ecs.js';
import { resourcesOf, roleActions, synthesize } from './support.js';
import { selfSignedCertificate } from './tls-fixture.js';

/**
 * The synthesized native hook bundles of an `ecs` environment (what
 * `cdk deploy` uploads) invoked as ECS invokes them, against the local AWS
 * stand-in and loopback "listeners": the environment is the template's,
 * with only the listener port, the load balancer's ENI description and the
 * timings pointed at loopback. The payloads are the ECS developer guide's
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html).
 */

const config = parseInfraConfig('staging-ecs', stagingEcs);
const { stacks, app } = synthesize(config, webappColor);
const resources = resourcesOf(app);
const assembly = (stacks.app.node.root as App).synth();
const infraModules = fileURLToPath(new URL('../node_modules', import.meta.url));

type Handler = (event: NativeHookEvent) => Promise<NativeHookResponse>;

interface HookUnderTest {
  readonly environment: Record<string, string>;
  readonly handler: Handler;
  readonly policyActions: string[];
  /** The stages the service's LifecycleHooks name this function at. */
  readonly stages: string[];
}

function hookUnderTest(lifecycleEvent: HookLifecycleEvent): HookUnderTest {
  const [id, fn] = Object.entries(resources).find(
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
  const { LifecycleHooks } = resources.Service!.Properties.DeploymentConfiguration as {
    LifecycleHooks: {
      HookTargetArn: { 'Fn::GetAtt': [string, string] };
      LifecycleStages: string[];
    }[];
  };
  return {
    environment: Object.fromEntries(
      Object.entries(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      ).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
    ),
    handler,
    policyActions: roleActions(resources, roleId),
    stages: LifecycleHooks.filter((h) => h.HookTargetArn['Fn::GetAtt'][0] === id).flatMap(
      (h) => h.LifecycleStages,
    ),
  };
}

interface FakeListener {
  version: string;
}

function answer(state: FakeListener) {
  return (req: { url?: string }, res: ServerResponse) => {
    if (req.url === webappColor.container.healthCheckPath) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', version: state.version }));
    } else if (req.url === '/version') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(state.version);
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Hello from test!</h1>');
    } else {
      res.writeHead(404).end();
    }
  };
}

const REGION = 'us-east-2';
const ACCOUNT = '123456789012';
const CLUSTER = 'myproject-staging-ecs-cluster';
const SERVICE = 'myproject-staging-ecs-webapp-color';
const ENI_DESCRIPTION = 'ELB app/myproject-staging-ecs-alb/50dc6c495c0c9188';
const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/${SERVICE}`;
const DEPLOYMENT = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${CLUSTER}/${SERVICE}/EZe5RNVLH6PPzHXINuP28`;
const revision = (id: string) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${CLUSTER}/${SERVICE}/${id}`;
const BLUE = revision('1920498462936580504');
const GREEN = revision('9313423515462893900');
const TASK_DEFINITION = (n: number) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/myproject-staging-ecs-webapp-color:${n}`;
const RELEASES = { 1: 'a11ce00', 2: 'c0ffee1' } as const;

let aws: AwsStandIn;
let testListener: Server;
let productionListener: Server;
const testState: FakeListener = { version: 'c0ffee1' };
const productionState: FakeListener = { version: 'c0ffee1' };
let caFile: string;
const savedEnv = { ...process.env };
const standInEnvironment: Record<string, string> = {};
let loopbackPorts: { test: number; production: number };

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  const tls = selfSignedCertificate(config.site.domainName);
  caFile = tls.certFile;
  testListener = createServer(answer(testState));
  productionListener = createHttpsServer({ key: tls.key, cert: tls.cert }, answer(productionState));
  aws = await startAwsStandIn({
    deployments: [],
    services: [
      {
        clusterName: CLUSTER,
        serviceName: SERVICE,
        taskSets: [],
        deploymentController: 'ECS',
        serviceDeployments: [
          {
            serviceDeploymentArn: DEPLOYMENT,
            createdAt: new Date('2026-12-02T12:00:00Z'),
            startedAt: new Date('2026-12-02T12:00:01Z'),
            sourceServiceRevisions: [
              { arn: BLUE, requestedTaskCount: 2, runningTaskCount: 2, pendingTaskCount: 0 },
            ],
            targetServiceRevision: {
              arn: GREEN,
              requestedTaskCount: 2,
              runningTaskCount: 2,
              pendingTaskCount: 0,
            },
            status: 'IN_PROGRESS',
            lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
          },
        ],
        serviceRevisions: [
          { serviceRevisionArn: BLUE, taskDefinition: TASK_DEFINITION(1) },
          { serviceRevisionArn: GREEN, taskDefinition: TASK_DEFINITION(2) },
        ],
      },
    ],
    taskDefinitions: ([1, 2] as const).map((n) => ({
      family: 'myproject-staging-ecs-webapp-color',
      revision: n,
      containerDefinitions: [
        {
          name: webappColor.container.name,
          image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/webapp-color:${RELEASES[n]}`,
          environment: [{ name: 'APP_VERSION', value: RELEASES[n] }],
        },
      ],
    })),
    repositories: [
      {
        repositoryName: 'webapp-color',
        mutableTags: ['live', 'previous'],
        images: [
          { manifest: '{"schemaVersion":2,"config":"a11ce00"}', tags: ['a11ce00', 'live'] },
          { manifest: '{"schemaVersion":2,"config":"c0ffee1"}', tags: ['c0ffee1'] },
        ],
      },
    ],
    networkInterfaces: [
      {
        networkInterfaceId: 'eni-0a1',
        description: ENI_DESCRIPTION,
        privateIpAddress: '127.0.0.1',
      },
    ],
  });
  loopbackPorts = {
    test: await listen(testListener),
    production: await listen(productionListener),
  };
  Object.assign(standInEnvironment, {
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: 'AKIDLOCALSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'local-stand-in-secret',
  });
});

afterAll(async () => {
  process.env = savedEnv;
  for (const server of [testListener, productionListener]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await aws.close();
});

/** Invoke a hook as ECS does, with the template's environment pointed at loopback. */
async function invoke(hook: HookUnderTest, event: NativeHookEvent) {
  const firstCall = aws.calls.length;
  const production = readHookEnvironment(hook.environment).lifecycleEvent === 'AfterAllowTraffic';
  process.env = {
    ...savedEnv,
    ...standInEnvironment,
    ...hook.environment,
    ...hookEnvironmentPatch({
      listenerPort: production ? loopbackPorts.production : loopbackPorts.test,
      loadBalancerEniDescription: ENI_DESCRIPTION,
      listenerCaFile: caFile,
      retryDelayMs: 50,
      requestTimeoutMs: 500,
      checkBudgetMs: 600,
    }),
  };
  const response = await hook.handler(event);
  const calls = aws.calls.slice(firstCall).map((call) => `${call.service}:${call.operation}`);
  return { response, calls };
}

function payload(
  lifecycleStage: string,
  extra: Partial<NativeHookEvent['executionDetails']> = {},
  hookDetails?: NativeHookEvent['hookDetails'],
): NativeHookEvent {
  return {
    executionId: `exec-${lifecycleStage}`,
    lifecycleStage,
    resourceArn: DEPLOYMENT,
    executionDetails: {
      serviceArn: SERVICE_ARN,
      targetServiceRevisionArn: GREEN,
      testTrafficWeights: {},
      productionTrafficWeights: {},
      ...extra,
    },
    ...(hookDetails ? { hookDetails } : {}),
  };
}

const tagsOf = (tag: string) =>
  aws.world
    .repositories![0]!.images.filter((image) => image.tags.includes(tag))
    .map((image) => image.manifest);

describe('the synthesized native hook bundles against the local AWS stand-in', () => {
  const testTraffic = hookUnderTest('AfterAllowTestTraffic');
  const production = hookUnderTest('AfterAllowTraffic');
  const allCalls: Record<HookLifecycleEvent, Set<string>> = {
    AfterAllowTestTraffic: new Set(),
    AfterAllowTraffic: new Set(),
  };

  it('wires each bundle at its stages', () => {
    expect(testTraffic.stages).toEqual([...NATIVE_HOOK_STAGES.AfterAllowTestTraffic]);
    expect(production.stages).toEqual([...NATIVE_HOOK_STAGES.AfterAllowTraffic]);
  });

  it('answers IN_PROGRESS while green serves another version, then SUCCEEDED with the details carried back', async () => {
    testState.version = 'a11ce00';
    const first = await invoke(testTraffic, payload('POST_TEST_TRAFFIC_SHIFT'));
    expect(first.response).toMatchObject({
      hookStatus: 'IN_PROGRESS',
      hookDetails: { attempt: 1 },
    });
    testState.version = 'c0ffee1';
    const second = await invoke(
      testTraffic,
      payload('POST_TEST_TRAFFIC_SHIFT', {}, { ...first.response.hookDetails }),
    );
    expect(second.response).toEqual({ hookStatus: 'SUCCEEDED' });
    for (const call of [...first.calls, ...second.calls]) allCalls.AfterAllowTestTraffic.add(call);
  });

  it('tags the release live and blue’s image previous after production moved', async () => {
    const { response, calls } = await invoke(production, payload('POST_PRODUCTION_TRAFFIC_SHIFT'));
    expect(response).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(tagsOf('live')).toEqual(['{"schemaVersion":2,"config":"c0ffee1"}']);
    expect(tagsOf('previous')).toEqual(['{"schemaVersion":2,"config":"a11ce00"}']);
    for (const call of calls) allCalls.AfterAllowTraffic.add(call);
  });

  it('puts live back on blue’s image when ECS rolls back, and writes nothing the second time', async () => {
    startRollback(aws.world, DEPLOYMENT, { reason: 'Alarm 5xx in ALARM state' });
    const rollback = payload('PRODUCTION_TRAFFIC_SHIFT', {
      productionTrafficWeights: { [GREEN]: 0, [BLUE]: 100 },
    });
    const first = await invoke(production, rollback);
    expect(first.response).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(tagsOf('live')).toEqual(['{"schemaVersion":2,"config":"a11ce00"}']);
    expect(first.calls).toContain('ecr:PutImage');
    const second = await invoke(production, rollback);
    expect(second.response).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(second.calls).not.toContain('ecr:PutImage');
    expect(tagsOf('live')).toEqual(['{"schemaVersion":2,"config":"a11ce00"}']);
    const test = await invoke(
      testTraffic,
      payload('TEST_TRAFFIC_SHIFT', { testTrafficWeights: { [GREEN]: 0, [BLUE]: 100 } }),
    );
    expect(test.response).toEqual({ hookStatus: 'SUCCEEDED' });
    for (const call of [...first.calls, ...second.calls]) allCalls.AfterAllowTraffic.add(call);
    for (const call of test.calls) allCalls.AfterAllowTestTraffic.add(call);
  });

  it.each(['AfterAllowTestTraffic', 'AfterAllowTraffic'] as const)(
    'makes, as %s, exactly the calls its role allows',
    (lifecycleEvent) => {
      const hook = lifecycleEvent === 'AfterAllowTraffic' ? production : testTraffic;
      const listed = nativeHookApiCalls(lifecycleEvent);
      expect([...allCalls[lifecycleEvent]].sort()).toEqual(
        listed.map((call) => `${call.service}:${call.operation}`).sort(),
      );
      expect([...hook.policyActions].sort()).toEqual(listed.map((call) => call.action).sort());
    },
  );
});
