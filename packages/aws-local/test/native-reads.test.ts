import {
  ClusterNotFoundException,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  InvalidParameterException,
  ECSClient,
  ListServiceDeploymentsCommand,
  ServiceNotFoundException,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import {
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  ListenerNotFoundException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsStandIn, startRollback, type AwsStandIn, type AwsWorld } from '../src/index.js';

/**
 * The reads of a service on the ECS deployment controller that
 * `@webapp-color/ops` makes (ListServiceDeployments,
 * DescribeServiceDeployments, DescribeServices, DescribeRules), and those
 * the native lifecycle hooks make (DescribeServiceDeployments, also during
 * a rollback, and DescribeServiceRevisions), driven by the real SDK
 * clients over awsJson1_1 and awsQuery.
 */

const LB = 'arn:aws:elasticloadbalancing:us-east-2:123456789012:loadbalancer/app/web/50dc6c49';
const LISTENER =
  'arn:aws:elasticloadbalancing:us-east-2:123456789012:listener/app/web/50dc6c49/443';
const BLUE = 'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/blue/1111';
const GREEN = 'arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/green/2222';
const SERVICE_ARN = 'arn:aws:ecs:us-east-2:123456789012:service/web/svc';
const deploymentArn = (id: string) =>
  `arn:aws:ecs:us-east-2:123456789012:service-deployment/web/svc/${id}`;
const revisionArn = (n: number) =>
  `arn:aws:ecs:us-east-2:123456789012:service-revision/web/svc/${n}`;
const at = (hour: number) => new Date(Date.UTC(2026, 11, 1, hour));

/** 25 finished deployments an hour apart, the last one rolled back, and one in progress. */
function serviceDeployments(): ServiceDeployment[] {
  const finished: ServiceDeployment[] = Array.from({ length: 25 }, (_, i) => ({
    serviceDeploymentArn: deploymentArn(`d${i}`),
    createdAt: at(i % 24),
    startedAt: at(i % 24),
    finishedAt: new Date(at(i % 24).getTime() + 1_200_000),
    updatedAt: new Date(at(i % 24).getTime() + 1_200_000),
    sourceServiceRevisions: [{ arn: revisionArn(i), requestedTaskCount: 2, runningTaskCount: 0 }],
    targetServiceRevision: { arn: revisionArn(i + 1), requestedTaskCount: 2, runningTaskCount: 2 },
    status: i === 24 ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL',
    lifecycleStage: 'CLEAN_UP',
    ...(i === 24
      ? { rollback: { reason: 'alarm', startedAt: at(0), serviceRevisionArn: revisionArn(24) } }
      : {}),
  }));
  return [
    ...finished,
    {
      serviceDeploymentArn: deploymentArn('running'),
      createdAt: new Date(at(23).getTime() + 1_800_000),
      startedAt: new Date(at(23).getTime() + 1_800_000),
      updatedAt: new Date(at(23).getTime() + 1_800_000),
      targetServiceRevision: { arn: revisionArn(30), requestedProductionTrafficWeight: 10 },
      status: 'IN_PROGRESS',
      lifecycleStage: 'BAKE_TIME',
    },
  ];
}

function world(): AwsWorld {
  return {
    deployments: [],
    services: [
      {
        clusterName: 'web',
        serviceName: 'svc',
        taskSets: [],
        desiredCount: 2,
        deploymentController: 'ECS',
        deploymentConfiguration: { strategy: 'CANARY', bakeTimeInMinutes: 15 },
        deployments: [
          {
            id: 'ecs-svc/1',
            status: 'PRIMARY',
            taskDefinition: 'arn:aws:ecs:us-east-2:123456789012:task-definition/web:4',
            desiredCount: 2,
            runningCount: 2,
            pendingCount: 0,
            rolloutState: 'COMPLETED',
          },
        ],
        serviceDeployments: serviceDeployments(),
        serviceRevisions: [
          {
            serviceRevisionArn: revisionArn(30),
            taskDefinition: 'arn:aws:ecs:us-east-2:123456789012:task-definition/web:5',
          },
          {
            serviceRevisionArn: revisionArn(25),
            taskDefinition: 'arn:aws:ecs:us-east-2:123456789012:task-definition/web:4',
          },
        ],
      },
    ],
    taskDefinitions: [],
    networkInterfaces: [],
    loadBalancers: [
      {
        loadBalancerArn: LB,
        dnsName: 'web-1.us-east-2.elb.amazonaws.com',
        listeners: [
          {
            ListenerArn: LISTENER,
            Port: 443,
            Protocol: 'HTTPS',
            DefaultActions: [
              { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } },
            ],
          },
        ],
        rules: {
          [LISTENER]: [
            {
              RuleArn: `${LISTENER.replace(':listener/', ':listener-rule/')}/1`,
              Priority: '1',
              Conditions: [{ Field: 'path-pattern', Values: ['/*'] }],
              Actions: [
                {
                  Type: 'forward',
                  Order: 1,
                  ForwardConfig: {
                    TargetGroups: [
                      { TargetGroupArn: BLUE, Weight: 90 },
                      { TargetGroupArn: GREEN, Weight: 10 },
                    ],
                  },
                },
              ],
            },
          ],
        },
      },
    ],
  };
}

let standIn: AwsStandIn;
const saved = { ...process.env };
beforeAll(async () => {
  standIn = await startAwsStandIn(world());
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: standIn.endpoint,
    AWS_REGION: 'us-east-2',
    AWS_ACCESS_KEY_ID: 'AKIDLOCALSTANDIN',
    AWS_SECRET_ACCESS_KEY: 'local-stand-in-secret',
  });
});
afterAll(async () => {
  process.env = saved;
  await standIn.close();
});

const config = { maxAttempts: 1 };

describe('ECS service deployments (awsJson1_1)', () => {
  it('lists briefs newest first, filtered by status and creation time, in pages of maxResults', async () => {
    const ecs = new ECSClient(config);
    const first = await ecs.send(
      new ListServiceDeploymentsCommand({ cluster: 'web', service: SERVICE_ARN, maxResults: 10 }),
    );
    expect(first.serviceDeployments).toHaveLength(10);
    expect(first.nextToken).toBeDefined();
    const brief = first.serviceDeployments![0]!;
    // A brief: no lifecycle stage, no rollback, the target revision by ARN only.
    expect(Object.keys(brief).sort()).toEqual(
      [
        'clusterArn',
        'createdAt',
        'serviceArn',
        'serviceDeploymentArn',
        'startedAt',
        'status',
        'targetServiceRevisionArn',
      ].sort(),
    );
    expect(brief.createdAt).toBeInstanceOf(Date);
    expect(brief.status).toBe('IN_PROGRESS');

    const unfinished = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: 'web',
        service: 'svc',
        status: ['PENDING', 'IN_PROGRESS'],
      }),
    );
    expect(unfinished.serviceDeployments?.map((d) => d.serviceDeploymentArn)).toEqual([
      deploymentArn('running'),
    ]);

    const recent = await ecs.send(
      new ListServiceDeploymentsCommand({
        cluster: 'web',
        service: 'svc',
        createdAt: { after: at(22) },
      }),
    );
    expect(recent.serviceDeployments?.map((d) => d.createdAt?.getUTCHours()).sort()).toEqual([
      22, 23, 23,
    ]);
  });

  it('describes deployments in full, an unknown ARN as a MISSING failure', async () => {
    const { serviceDeployments, failures } = await new ECSClient(config).send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: [deploymentArn('d24'), deploymentArn('nope')],
      }),
    );
    expect(serviceDeployments).toHaveLength(1);
    expect(serviceDeployments![0]).toMatchObject({
      serviceArn: SERVICE_ARN,
      clusterArn: 'arn:aws:ecs:us-east-2:123456789012:cluster/web',
      status: 'ROLLBACK_SUCCESSFUL',
      lifecycleStage: 'CLEAN_UP',
      rollback: { reason: 'alarm', serviceRevisionArn: revisionArn(24) },
      targetServiceRevision: { arn: revisionArn(25), runningTaskCount: 2 },
    });
    expect(serviceDeployments![0]!.finishedAt).toBeInstanceOf(Date);
    expect(failures).toEqual([{ arn: deploymentArn('nope'), reason: 'MISSING' }]);
  });

  it('answers an unknown service or cluster with their exceptions', async () => {
    const ecs = new ECSClient(config);
    await expect(
      ecs.send(new ListServiceDeploymentsCommand({ cluster: 'web', service: 'nope' })),
    ).rejects.toBeInstanceOf(ServiceNotFoundException);
    await expect(
      ecs.send(new ListServiceDeploymentsCommand({ cluster: 'nope', service: 'svc' })),
    ).rejects.toBeInstanceOf(ClusterNotFoundException);
  });

  it('describes a service on the ECS controller with its deployments and no task sets', async () => {
    const { services } = await new ECSClient(config).send(
      new DescribeServicesCommand({ cluster: 'web', services: ['svc'] }),
    );
    const service = services![0]!;
    expect(service.deploymentController).toEqual({ type: 'ECS' });
    expect(service.deploymentConfiguration).toEqual({
      strategy: 'CANARY',
      bakeTimeInMinutes: 15,
    });
    expect(service.taskSets).toBeUndefined();
    expect(service.deployments?.[0]?.status).toBe('PRIMARY');
    expect([service.runningCount, service.pendingCount]).toEqual([2, 0]);
  });
});

describe('Elastic Load Balancing v2 DescribeRules (awsQuery)', () => {
  it('lists a listener’s rules by priority, the default rule last', async () => {
    const { Rules } = await new ElasticLoadBalancingV2Client(config).send(
      new DescribeRulesCommand({ ListenerArn: LISTENER }),
    );
    expect(Rules?.map((r) => [r.Priority, r.IsDefault])).toEqual([
      ['1', false],
      ['default', true],
    ]);
    expect(Rules?.[0]?.Actions?.[0]?.ForwardConfig?.TargetGroups).toEqual([
      { TargetGroupArn: BLUE, Weight: 90 },
      { TargetGroupArn: GREEN, Weight: 10 },
    ]);
    expect(Rules?.[0]?.Conditions?.[0]).toMatchObject({ Field: 'path-pattern', Values: ['/*'] });
    expect(Rules?.[1]?.Actions?.[0]?.Type).toBe('fixed-response');
  });

  it('answers an unknown listener with ListenerNotFound', async () => {
    await expect(
      new ElasticLoadBalancingV2Client(config).send(
        new DescribeRulesCommand({ ListenerArn: `${LISTENER}0` }),
      ),
    ).rejects.toBeInstanceOf(ListenerNotFoundException);
  });
});

describe('the native lifecycle hooks’ reads', () => {
  it('describes service revisions with the task definition they run, an unknown ARN as MISSING', async () => {
    const { serviceRevisions, failures } = await new ECSClient(config).send(
      new DescribeServiceRevisionsCommand({
        serviceRevisionArns: [revisionArn(30), revisionArn(99)],
      }),
    );
    expect(serviceRevisions).toEqual([
      {
        serviceRevisionArn: revisionArn(30),
        serviceArn: SERVICE_ARN,
        clusterArn: 'arn:aws:ecs:us-east-2:123456789012:cluster/web',
        taskDefinition: 'arn:aws:ecs:us-east-2:123456789012:task-definition/web:5',
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
        platformFamily: 'Linux',
        createdAt: expect.any(Date) as Date,
      },
    ]);
    expect(failures).toEqual([{ arn: revisionArn(99), reason: 'MISSING' }]);
  });

  it('refuses no revision or more than 20, as the API does', async () => {
    const ecs = new ECSClient(config);
    await expect(
      ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      ecs.send(
        new DescribeServiceRevisionsCommand({
          serviceRevisionArns: Array.from({ length: 21 }, (_, i) => revisionArn(i)),
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('answers a deployment a caller rolled back as ROLLBACK_IN_PROGRESS with its rollback revision', async () => {
    const running = deploymentArn('running');
    startRollback(standIn.world, running, {
      reason: 'Alarm web-5xx in ALARM state',
      serviceRevisionArn: revisionArn(25),
      at: at(23),
    });
    const { serviceDeployments } = await new ECSClient(config).send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [running] }),
    );
    expect(serviceDeployments![0]).toMatchObject({
      serviceDeploymentArn: running,
      status: 'ROLLBACK_IN_PROGRESS',
      statusReason: 'Alarm web-5xx in ALARM state',
      rollback: {
        reason: 'Alarm web-5xx in ALARM state',
        startedAt: at(23),
        serviceRevisionArn: revisionArn(25),
      },
      targetServiceRevision: { arn: revisionArn(30) },
    });
  });

  it('fails to roll back what the world does not have, or cannot tell where to', () => {
    expect(() => startRollback(standIn.world, deploymentArn('nope'), { reason: 'x' })).toThrow(
      `startRollback: the world has no service deployment ${deploymentArn('nope')}`,
    );
    expect(() => startRollback(standIn.world, deploymentArn('running'), { reason: 'x' })).toThrow(
      'has 0 source revisions; name serviceRevisionArn',
    );
  });
});
