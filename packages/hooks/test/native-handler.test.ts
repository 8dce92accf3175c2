import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  BatchGetImageCommand,
  ECRClient,
  ImageAlreadyExistsException,
  PutImageCommand,
  type BatchGetImageCommandOutput,
} from '@aws-sdk/client-ecr';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { NATIVE_HOOK_API_CALLS, nativeHookApiCalls } from '../src/api-calls.js';
import { hookEnvironment } from '../src/environment.js';
import { handler } from '../src/native-handler.js';
import type { NativeHookEvent } from '../src/native-checks.js';

/**
 * The native hook end to end: the handler as Lambda runs it, the AWS SDK
 * answered by aws-sdk-client-mock in the shapes the API references give
 * (DescribeServiceDeployments, DescribeServiceRevisions,
 * DescribeTaskDefinition, DescribeNetworkInterfaces, BatchGetImage,
 * PutImage), the "load balancer" a loopback server. The payloads are the
 * ECS developer guide's
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html).
 */

const REGION = 'us-east-2';
const ACCOUNT = '123456789012';
const CLUSTER = 'myproject-staging';
const SERVICE = 'webapp-color';
const DEPLOYMENT = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-deployment/${CLUSTER}/${SERVICE}/EZe5RNVLH6PPzHXINuP28`;
const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${CLUSTER}/${SERVICE}`;
const GREEN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${CLUSTER}/${SERVICE}/9313423515462893900`;
const BLUE = `arn:aws:ecs:${REGION}:${ACCOUNT}:service-revision/${CLUSTER}/${SERVICE}/1920498462936580504`;
const TASK_DEF = (n: number) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/myproject-staging-webapp-color:${n}`;
const REPOSITORY = 'myproject-staging-webapp-color';
const IMAGE = (tag: string) => `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${REPOSITORY}:${tag}`;
const MANIFEST_TYPE = 'application/vnd.oci.image.index.v1+json';

const ecs = mockClient(ECSClient);
const ec2 = mockClient(EC2Client);
const ecr = mockClient(ECRClient);

/** ECR as the hook sees it: tag → digest; each digest's manifest is its own text. */
let tags: Map<string, string>;
let deployment: ServiceDeployment;
let servedVersion: string;
let server: Server;
let port: number;

function event(lifecycleStage: string, extra: Partial<NativeHookEvent> = {}): NativeHookEvent {
  return {
    executionId: 'e8d5a28f-eb01-4f3c-9454-a30ba6dc54bc',
    lifecycleStage,
    resourceArn: DEPLOYMENT,
    executionDetails: {
      serviceArn: SERVICE_ARN,
      targetServiceRevisionArn: GREEN,
      testTrafficWeights: {},
      productionTrafficWeights: {},
    },
    ...extra,
  };
}

function setEnvironment(lifecycleEvent: 'AfterAllowTestTraffic' | 'AfterAllowTraffic') {
  const production = lifecycleEvent === 'AfterAllowTraffic';
  const environment = hookEnvironment({
    lifecycleEvent,
    listenerProtocol: 'http',
    listenerPort: port,
    siteHost: 'myapp.example.com',
    healthPath: '/healthz',
    pagePath: '/',
    versionPath: '/version',
    containerName: 'webapp-color',
    versionVariable: 'APP_VERSION',
    requireVersion: true,
    checkBudgetMs: 400,
    checkDeadlineMs: 60_000,
    requestTimeoutMs: 100,
    retryDelayMs: 50,
    loadBalancerEniDescription: 'ELB app/web/50dc6c495c0c9188',
    ...(production ? { liveImageTag: 'live', previousImageTag: 'previous' } : {}),
  });
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
}

/** The operations sent, as `service:Operation`. */
function callsMade(): string[] {
  return [
    ...ecs.calls().map((c) => `ecs:${c.args[0].constructor.name.replace(/Command$/, '')}`),
    ...ec2.calls().map((c) => `ec2:${c.args[0].constructor.name.replace(/Command$/, '')}`),
    ...ecr.calls().map((c) => `ecr:${c.args[0].constructor.name.replace(/Command$/, '')}`),
  ];
}

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.headers.host !== 'myapp.example.com') response.writeHead(421).end();
    else if (request.url === '/version') response.writeHead(200).end(servedVersion);
    else response.writeHead(200).end('<html>ok</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  servedVersion = 'v2';
  tags = new Map([
    ['v1', 'sha256:1111'],
    ['v2', 'sha256:2222'],
    ['live', 'sha256:1111'],
    ['previous', 'sha256:0000'],
  ]);
  deployment = {
    serviceDeploymentArn: DEPLOYMENT,
    serviceArn: SERVICE_ARN,
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
    createdAt: new Date('2026-12-02T12:00:00Z'),
    startedAt: new Date('2026-12-02T12:00:01Z'),
    updatedAt: new Date('2026-12-02T12:05:00Z'),
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
    deploymentConfiguration: {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 15,
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
  };
  ecs
    .on(DescribeServiceDeploymentsCommand)
    .callsFake((input: { serviceDeploymentArns: string[] }) =>
      input.serviceDeploymentArns.includes(DEPLOYMENT)
        ? { serviceDeployments: [deployment], failures: [] }
        : {
            serviceDeployments: [],
            failures: input.serviceDeploymentArns.map((arn) => ({ arn, reason: 'MISSING' })),
          },
    );
  ecs.on(DescribeServiceRevisionsCommand).callsFake((input: { serviceRevisionArns: string[] }) => ({
    serviceRevisions: input.serviceRevisionArns
      .filter((arn) => arn === GREEN || arn === BLUE)
      .map((arn) => ({
        serviceRevisionArn: arn,
        serviceArn: SERVICE_ARN,
        clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`,
        taskDefinition: arn === GREEN ? TASK_DEF(34) : TASK_DEF(33),
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
        createdAt: new Date('2026-12-02T12:00:00Z'),
      })),
    failures: input.serviceRevisionArns
      .filter((arn) => arn !== GREEN && arn !== BLUE)
      .map((arn) => ({ arn, reason: 'MISSING' })),
  }));
  ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    const release = input.taskDefinition === TASK_DEF(34) ? 'v2' : 'v1';
    return {
      taskDefinition: {
        taskDefinitionArn: input.taskDefinition,
        family: 'myproject-staging-webapp-color',
        containerDefinitions: [
          {
            name: 'webapp-color',
            image: IMAGE(release),
            environment: [{ name: 'APP_VERSION', value: release }],
          },
        ],
      },
    };
  });
  ec2.on(DescribeNetworkInterfacesCommand).resolves({
    NetworkInterfaces: [
      { NetworkInterfaceId: 'eni-0a1', PrivateIpAddress: '127.0.0.1', Status: 'in-use' },
    ],
  });
  ecr
    .on(BatchGetImageCommand)
    .callsFake((input: { imageIds: { imageTag: string }[] }): BatchGetImageCommandOutput => ({
      $metadata: {},
      images: input.imageIds
        .filter((id) => tags.has(id.imageTag))
        .map((id) => ({
          registryId: ACCOUNT,
          repositoryName: REPOSITORY,
          imageId: { imageTag: id.imageTag, imageDigest: tags.get(id.imageTag) },
          imageManifest: `manifest of ${tags.get(id.imageTag)}`,
          imageManifestMediaType: MANIFEST_TYPE,
        })),
      failures: input.imageIds
        .filter((id) => !tags.has(id.imageTag))
        .map((id) => ({
          imageId: { imageTag: id.imageTag },
          failureCode: 'ImageNotFound',
          failureReason: 'Requested image not found',
        })),
    }));
  ecr.on(PutImageCommand).callsFake((input: { imageTag: string; imageManifest: string }) => {
    const digest = input.imageManifest.replace('manifest of ', '');
    if (tags.get(input.imageTag) === digest) {
      throw new ImageAlreadyExistsException({
        $metadata: {},
        message: `Image with digest '${digest}' and tag '${input.imageTag}' already exists in the repository with name '${REPOSITORY}' in registry with id '${ACCOUNT}'`,
      });
    }
    tags.set(input.imageTag, digest);
    return {
      image: {
        repositoryName: REPOSITORY,
        imageId: { imageTag: input.imageTag, imageDigest: digest },
      },
    };
  });
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(() => {
  ecs.reset();
  ec2.reset();
  ecr.reset();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('native hook, test traffic', () => {
  beforeEach(() => setEnvironment('AfterAllowTestTraffic'));

  it('succeeds at POST_TEST_TRAFFIC_SHIFT when green serves the target revision’s version', async () => {
    expect(await handler(event('POST_TEST_TRAFFIC_SHIFT'))).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(ecs.commandCalls(DescribeServiceRevisionsCommand)[0]!.args[0].input).toEqual({
      serviceRevisionArns: [GREEN],
    });
    expect(ecr.calls()).toHaveLength(0);
  });

  it('answers IN_PROGRESS with attempt and deadline, then SUCCEEDED when invoked again with them', async () => {
    servedVersion = 'v1';
    const first = await handler(event('POST_TEST_TRAFFIC_SHIFT'));
    expect(first).toMatchObject({
      hookStatus: 'IN_PROGRESS',
      callBackDelay: 1,
      hookDetails: { attempt: 1 },
    });
    expect(first.hookDetails?.lastProblem).toContain('serves version v1, not v2');
    const deadline = Date.parse(first.hookDetails!.deadline);
    expect(deadline).toBeGreaterThan(Date.now() + 50_000);
    servedVersion = 'v2';
    // ECS merges the returned details into the next payload.
    const second = await handler(
      event('POST_TEST_TRAFFIC_SHIFT', { hookDetails: { ...first.hookDetails } }),
    );
    expect(second).toEqual({ hookStatus: 'SUCCEEDED' });
  });

  it('answers FAILED with the reason once the carried deadline has passed', async () => {
    servedVersion = 'v1';
    const late = await handler(
      event('POST_TEST_TRAFFIC_SHIFT', {
        hookDetails: { attempt: 7, deadline: new Date(Date.now() - 1).toISOString() },
      }),
    );
    expect(late.hookStatus).toBe('FAILED');
    expect(late.hookDetails?.attempt).toBe(8);
    expect(late.hookDetails?.lastProblem).toMatch(
      /serves version v1, not v2.*deadline .* passed after 8/,
    );
  });

  it('fails for good when the release sets no version, without waiting for the deadline', async () => {
    ecs.on(DescribeServiceRevisionsCommand).resolves({ serviceRevisions: [], failures: [] });
    const answer = await handler(event('POST_TEST_TRAFFIC_SHIFT'));
    expect(answer.hookStatus).toBe('FAILED');
    expect(answer.hookDetails?.lastProblem).toBe(`${GREEN} names no task definition`);
  });

  it('succeeds at TEST_TRAFFIC_SHIFT forward and on a rollback, changing nothing', async () => {
    expect(await handler(event('TEST_TRAFFIC_SHIFT'))).toEqual({ hookStatus: 'SUCCEEDED' });
    deployment = { ...deployment, status: 'ROLLBACK_IN_PROGRESS' };
    expect(await handler(event('TEST_TRAFFIC_SHIFT'))).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(ecr.calls()).toHaveLength(0);
    expect(callsMade()).toEqual([
      'ecs:DescribeServiceDeployments',
      'ecs:DescribeServiceDeployments',
    ]);
  });

  it('fails on a stage it does not serve, naming the stage and those it serves', async () => {
    const answer = await handler(event('POST_PRODUCTION_TRAFFIC_SHIFT'));
    expect(answer.hookStatus).toBe('FAILED');
    expect(answer.hookDetails?.lastProblem).toBe(
      'lifecycleStage = "POST_PRODUCTION_TRAFFIC_SHIFT": this hook runs at TEST_TRAFFIC_SHIFT and POST_TEST_TRAFFIC_SHIFT only',
    );
    expect(callsMade()).toEqual([]);
  });

  it('fails on a payload that is not ECS’s, naming each field', async () => {
    const answer = await handler({ lifecycleStage: 'TEST_TRAFFIC_SHIFT', hookDetails: 'x' });
    expect(answer).toEqual({ hookStatus: 'FAILED' });
    const logged = vi
      .mocked(console.log)
      .mock.calls.map((c) => String(c[0]))
      .join('\n');
    expect(logged).toContain('executionId = undefined: expected a non-empty string');
    expect(logged).toContain('executionDetails = undefined: expected an object');
    expect(logged).toContain('hookDetails = "x": expected an object');
  });
});

describe('native hook, production traffic', () => {
  beforeEach(() => setEnvironment('AfterAllowTraffic'));

  it('checks production at POST_PRODUCTION_TRAFFIC_SHIFT, then tags the release live and the source revision’s image previous', async () => {
    expect(await handler(event('POST_PRODUCTION_TRAFFIC_SHIFT'))).toEqual({
      hookStatus: 'SUCCEEDED',
    });
    expect(tags.get('live')).toBe('sha256:2222');
    expect(tags.get('previous')).toBe('sha256:1111');
    // Run again (ECS invoked twice): the same tags, nothing else moves.
    expect(await handler(event('POST_PRODUCTION_TRAFFIC_SHIFT'))).toEqual({
      hookStatus: 'SUCCEEDED',
    });
    expect(tags.get('live')).toBe('sha256:2222');
    expect(tags.get('previous')).toBe('sha256:1111');
  });

  it('does nothing at PRODUCTION_TRAFFIC_SHIFT on the forward path', async () => {
    const weights = { [GREEN]: 10, [BLUE]: 90 };
    expect(
      await handler(
        event('PRODUCTION_TRAFFIC_SHIFT', {
          executionDetails: { ...event('x').executionDetails, productionTrafficWeights: weights },
        }),
      ),
    ).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(callsMade()).toEqual(['ecs:DescribeServiceDeployments']);
  });

  it('puts live back on the image production returns to during a rollback, and changes nothing when run again', async () => {
    await handler(event('POST_PRODUCTION_TRAFFIC_SHIFT'));
    expect(tags.get('live')).toBe('sha256:2222');
    // An alarm in the bake time: ECS rolls back to blue and runs the shift hooks again.
    deployment = {
      ...deployment,
      status: 'ROLLBACK_IN_PROGRESS',
      statusReason: 'Alarm myproject-staging-5xx in ALARM state',
      rollback: {
        reason: 'Alarm myproject-staging-5xx in ALARM state',
        startedAt: new Date('2026-12-02T12:20:00Z'),
        serviceRevisionArn: BLUE,
      },
    };
    const rollback = event('PRODUCTION_TRAFFIC_SHIFT', {
      executionDetails: {
        ...event('x').executionDetails,
        productionTrafficWeights: { [GREEN]: 0, [BLUE]: 100 },
      },
    });
    ecr.resetHistory();
    expect(await handler(rollback)).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(tags.get('live')).toBe('sha256:1111');
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(1);
    ecr.resetHistory();
    expect(await handler(rollback)).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(tags.get('live')).toBe('sha256:1111');
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(0);
  });

  it('knows a rollback by the weights alone, as the guide says, and finds blue by them', async () => {
    await handler(event('POST_PRODUCTION_TRAFFIC_SHIFT'));
    const rollback = event('PRODUCTION_TRAFFIC_SHIFT', {
      executionDetails: {
        ...event('x').executionDetails,
        productionTrafficWeights: { [GREEN]: 0, [BLUE]: 100 },
      },
    });
    expect(await handler(rollback)).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(tags.get('live')).toBe('sha256:1111');
  });

  it('answers IN_PROGRESS when an AWS call fails, until the deadline', async () => {
    ecs.on(DescribeServiceDeploymentsCommand).rejects(new Error('Rate exceeded'));
    const answer = await handler(event('PRODUCTION_TRAFFIC_SHIFT'));
    expect(answer).toMatchObject({
      hookStatus: 'IN_PROGRESS',
      hookDetails: { attempt: 1, lastProblem: 'Rate exceeded' },
    });
  });

  it('fails when ECS knows no such service deployment', async () => {
    const answer = await handler(
      event('PRODUCTION_TRAFFIC_SHIFT', { resourceArn: `${DEPLOYMENT}x` }),
    );
    expect(answer.hookStatus).toBe('FAILED');
    expect(answer.hookDetails?.lastProblem).toBe(`ECS knows no service deployment ${DEPLOYMENT}x`);
  });
});

describe('native hook API calls', () => {
  it.each(['AfterAllowTestTraffic', 'AfterAllowTraffic'] as const)(
    'the %s hook makes only the calls nativeHookApiCalls lists, and all of them',
    async (lifecycleEvent) => {
      setEnvironment(lifecycleEvent);
      const [shift, after] =
        lifecycleEvent === 'AfterAllowTraffic'
          ? ['PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT']
          : ['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'];
      await handler(event(after));
      deployment = {
        ...deployment,
        status: 'ROLLBACK_IN_PROGRESS',
        rollback: { serviceRevisionArn: BLUE },
      };
      await handler(event(shift));
      const listed = nativeHookApiCalls(lifecycleEvent).map((c) => c.action);
      expect([...new Set(callsMade())].sort()).toEqual([...listed].sort());
    },
  );

  it('lists no CodeDeploy call', () => {
    expect(NATIVE_HOOK_API_CALLS.map((c) => c.service)).not.toContain('codedeploy');
  });
});
