import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  ECSClient,
  InvalidParameterException,
  ServiceDeploymentNotFoundException,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAwsStandIn, type AwsStandIn, type AwsWorld } from '../src/index.js';

/**
 * ContinueServiceDeployment on a deployment paused at a PAUSE lifecycle
 * hook, driven by the real SDK client over awsJson1_1.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContinueServiceDeployment.html
 */

const DEPLOYMENT = 'arn:aws:ecs:us-east-2:123456789012:service-deployment/web/svc/paused';
const revisionArn = (n: number) =>
  `arn:aws:ecs:us-east-2:123456789012:service-revision/web/svc/${n}`;

function paused(): ServiceDeployment {
  return {
    serviceDeploymentArn: DEPLOYMENT,
    createdAt: new Date('2026-12-01T10:00:00Z'),
    startedAt: new Date('2026-12-01T10:00:00Z'),
    status: 'IN_PROGRESS',
    lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
    sourceServiceRevisions: [{ arn: revisionArn(1), requestedTaskCount: 3, runningTaskCount: 3 }],
    targetServiceRevision: { arn: revisionArn(2), requestedTaskCount: 3, runningTaskCount: 3 },
    // A PAUSE hook has no targetArn (DeploymentLifecycleHookDetail).
    lifecycleHookDetails: [
      {
        hookId: 'hook-pause-1',
        targetType: 'PAUSE',
        status: 'AWAITING_ACTION',
        expiresAt: new Date('2026-12-01T11:00:00Z'),
        timeoutAction: 'ROLLBACK',
      },
    ],
  };
}

function world(): AwsWorld {
  return {
    deployments: [],
    services: [
      {
        clusterName: 'web',
        serviceName: 'svc',
        taskSets: [],
        desiredCount: 3,
        deploymentController: 'ECS',
        serviceDeployments: [paused()],
      },
    ],
    taskDefinitions: [],
    networkInterfaces: [],
  };
}

let standIn: AwsStandIn;
const saved = { ...process.env };
beforeEach(async () => {
  standIn = await startAwsStandIn(world());
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: standIn.endpoint,
    AWS_REGION: 'us-east-2',
    AWS_ACCESS_KEY_ID: 'AKIDLOCALSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'local-stand-in-secret',
  });
});
afterEach(async () => {
  process.env = saved;
  await standIn.close();
});

const ecs = () => new ECSClient({ maxAttempts: 1 });
const describeIt = async () =>
  (await ecs().send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [DEPLOYMENT] })))
    .serviceDeployments![0]!;

describe('ContinueServiceDeployment', () => {
  it('continues a paused deployment (CONTINUE by default): the hook is no longer awaiting', async () => {
    const answer = await ecs().send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: DEPLOYMENT,
        hookId: 'hook-pause-1',
      }),
    );
    expect(answer.serviceDeploymentArn).toBe(DEPLOYMENT);
    const deployment = await describeIt();
    expect(deployment.status).toBe('IN_PROGRESS');
    expect(deployment.lifecycleHookDetails).toEqual([
      expect.objectContaining({ hookId: 'hook-pause-1', status: 'SUCCEEDED' }),
    ]);
    expect(standIn.calls.map((call) => call.operation)).toEqual([
      'ContinueServiceDeployment',
      'DescribeServiceDeployments',
    ]);
  });

  it('rolls a paused deployment back with ROLLBACK, to its source revision', async () => {
    await ecs().send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: DEPLOYMENT,
        hookId: 'hook-pause-1',
        action: 'ROLLBACK',
      }),
    );
    const deployment = await describeIt();
    expect(deployment.status).toBe('ROLLBACK_IN_PROGRESS');
    expect(deployment.rollback?.serviceRevisionArn).toBe(revisionArn(1));
  });

  it('refuses a hook that no longer awaits an action, naming it', async () => {
    const continueIt = () =>
      ecs().send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: DEPLOYMENT,
          hookId: 'hook-pause-1',
        }),
      );
    await continueIt();
    const error = await continueIt().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect((error as Error).message).toContain('hookId hook-pause-1');
  });

  it('answers ServiceDeploymentNotFoundException for an unknown deployment', async () => {
    await expect(
      ecs().send(
        new ContinueServiceDeploymentCommand({
          serviceDeploymentArn: `${DEPLOYMENT}-nope`,
          hookId: 'hook-pause-1',
        }),
      ),
    ).rejects.toBeInstanceOf(ServiceDeploymentNotFoundException);
  });
});
