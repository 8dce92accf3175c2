import {
  DeregisterTaskDefinitionCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ServiceDeploymentStatus,
  type Tag,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * A service on the ECS deployment controller, answering the calls the
 * program makes in the shapes of the ECS API reference, including what they
 * leave out (no statusReason while a deployment runs; tags only with
 * include: ['TAGS']; ListServiceDeployments' brief entries carry no task
 * definition, only the target service revision's ARN):
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentBrief.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceDeployments.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceRevisions.html
 */
export const REGION = 'us-east-2';
export const ACCOUNT = '111122223333';
export const CLUSTER = 'myproject-staging-ecs';
export const SERVICE = 'webapp-color';
const arn = (resource: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:${resource}`;
export const SERVICE_ARN = arn(`service/${CLUSTER}/${SERVICE}`);
/** The hookId ECS gives a PAUSE hook (the shape of the pause-lifecycle-hooks page's example). */
export const PAUSE_HOOK_ID = 'ecs-pause-e7tK9G_WRJqNF_EOMjztDXfKenlJuEUVjsNStf4WLKw';

interface Revision {
  readonly arn: string;
  readonly tags: Tag[];
}
interface Deployment {
  readonly arn: string;
  /** The task definition the service named before (what a rollback restores). */
  readonly source: string;
  readonly revisionArn: string;
  readonly createdAt: Date;
  /** The statuses DescribeServiceDeployments answers, one per read; the last repeats. */
  readonly statuses: ServiceDeploymentStatus[];
  readonly statusReason?: string;
  reads: number;
  /** Reads during which a PAUSE hook awaits ContinueServiceDeployment. */
  pausedReads?: number;
}

export interface FakeServiceOptions {
  /** The revision the service names at the start, with its tags. */
  readonly current: { readonly revision: number; readonly tags?: Tag[] };
  /** The deployment that already ran (or runs) the current revision. */
  readonly currentDeployment?: { statuses: ServiceDeploymentStatus[] };
  /** What a deployment started by UpdateService goes through. */
  readonly next?: {
    statuses: ServiceDeploymentStatus[];
    statusReason?: string;
    /** The first reads of the deployment find it paused by a PAUSE hook (POST_TEST_TRAFFIC_SHIFT). */
    pausedReads?: number;
  };
  readonly controller?: 'ECS' | 'CODE_DEPLOY';
  /** ListServiceDeployments answers without the new deployment this many times first. */
  readonly listDelay?: number;
}

export function fakeService(options: FakeServiceOptions) {
  const family = 'myproject-staging-ecs-webapp-color';
  const taskDefinitionArn = (revision: number) => arn(`task-definition/${family}:${revision}`);
  const revisions = new Map<string, Revision>();
  let serviceRevisionCount = 0;
  const deployments: Deployment[] = [];
  const serviceRevisions = new Map<string, string>(); // service revision ARN → task definition ARN
  let next = options.current.revision;
  let current = taskDefinitionArn(options.current.revision);
  revisions.set(current, { arn: current, tags: options.current.tags ?? [] });
  let listDelay = options.listDelay ?? 0;
  const deregistered: string[] = [];

  const deploy = (
    taskDefinition: string,
    source: string,
    statuses: ServiceDeploymentStatus[],
    reason?: string,
  ) => {
    serviceRevisionCount += 1;
    const revisionArn = arn(
      `service-revision/${CLUSTER}/${SERVICE}/${1000 + serviceRevisionCount}`,
    );
    serviceRevisions.set(revisionArn, taskDefinition);
    deployments.push({
      arn: arn(`service-deployment/${CLUSTER}/${SERVICE}/dep${serviceRevisionCount}`),
      source,
      revisionArn,
      createdAt: new Date(Date.UTC(2026, 11, 2, 13, serviceRevisionCount)),
      statuses,
      ...(reason ? { statusReason: reason } : {}),
      reads: 0,
    });
  };
  if (options.currentDeployment) deploy(current, current, options.currentDeployment.statuses);

  const mock = mockClient(ECSClient);
  mock.on(DescribeServicesCommand).callsFake((input: { services: string[] }) => {
    if (input.services[0] !== SERVICE) {
      return {
        services: [],
        failures: [{ arn: arn(`service/${CLUSTER}/${input.services[0]}`), reason: 'MISSING' }],
      };
    }
    return {
      services: [
        {
          serviceArn: SERVICE_ARN,
          serviceName: SERVICE,
          clusterArn: arn(`cluster/${CLUSTER}`),
          status: 'ACTIVE',
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
          launchType: 'FARGATE',
          taskDefinition: current,
          deploymentController: { type: options.controller ?? 'ECS' },
          deployments: [],
        },
      ],
      failures: [],
    };
  });
  mock
    .on(DescribeTaskDefinitionCommand)
    .callsFake((input: { taskDefinition: string; include?: string[] }) => {
      const revision = revisions.get(input.taskDefinition);
      if (!revision)
        throw Object.assign(new Error('Unable to describe task definition.'), {
          name: 'ClientException',
        });
      return {
        taskDefinition: { taskDefinitionArn: revision.arn, family, status: 'ACTIVE' },
        ...(input.include?.includes('TAGS') ? { tags: revision.tags } : {}),
      };
    });
  mock.on(RegisterTaskDefinitionCommand).callsFake((input: { family: string; tags?: Tag[] }) => {
    next += 1;
    const registered = taskDefinitionArn(next);
    revisions.set(registered, { arn: registered, tags: input.tags ?? [] });
    return {
      taskDefinition: {
        taskDefinitionArn: registered,
        family: input.family,
        revision: next,
        status: 'ACTIVE',
      },
      tags: input.tags ?? [],
    };
  });
  mock.on(UpdateServiceCommand).callsFake((input: { taskDefinition: string }) => {
    const source = current;
    current = input.taskDefinition;
    deploy(
      current,
      source,
      options.next?.statuses ?? ['IN_PROGRESS', 'SUCCESSFUL'],
      options.next?.statusReason,
    );
    deployments[deployments.length - 1]!.pausedReads = options.next?.pausedReads;
    return {
      service: {
        serviceArn: SERVICE_ARN,
        serviceName: SERVICE,
        status: 'ACTIVE',
        taskDefinition: current,
      },
    };
  });
  mock.on(ListServiceDeploymentsCommand).callsFake(() => {
    const listed = listDelay > 0 ? deployments.slice(0, -1) : deployments;
    if (listDelay > 0) listDelay -= 1;
    return {
      serviceDeployments: listed.map((deployment) => ({
        serviceDeploymentArn: deployment.arn,
        serviceArn: SERVICE_ARN,
        clusterArn: arn(`cluster/${CLUSTER}`),
        createdAt: deployment.createdAt,
        startedAt: deployment.createdAt,
        targetServiceRevisionArn: deployment.revisionArn,
        status: deployment.statuses[Math.min(deployment.reads, deployment.statuses.length - 1)],
      })),
    };
  });
  mock
    .on(DescribeServiceRevisionsCommand)
    .callsFake((input: { serviceRevisionArns: string[] }) => ({
      serviceRevisions: input.serviceRevisionArns.map((revisionArn) => ({
        serviceRevisionArn: revisionArn,
        serviceArn: SERVICE_ARN,
        clusterArn: arn(`cluster/${CLUSTER}`),
        taskDefinition: serviceRevisions.get(revisionArn),
        launchType: 'FARGATE',
      })),
      failures: [],
    }));
  mock
    .on(DescribeServiceDeploymentsCommand)
    .callsFake((input: { serviceDeploymentArns: string[] }) => {
      const deployment = deployments.find(
        (candidate) => candidate.arn === input.serviceDeploymentArns[0],
      );
      if (!deployment)
        return {
          serviceDeployments: [],
          failures: [{ arn: input.serviceDeploymentArns[0], reason: 'MISSING' }],
        };
      const status =
        deployment.statuses[Math.min(deployment.reads, deployment.statuses.length - 1)]!;
      deployment.reads += 1;
      // A rollback puts the service back on the source revision.
      if (status === 'ROLLBACK_SUCCESSFUL') current = deployment.source;
      const ended = ['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'].includes(
        status,
      );
      const rolledBack = status.startsWith('ROLLBACK');
      // A PAUSE hook awaiting action, as DescribeServiceDeployments shows it
      // (DeploymentLifecycleHookDetail: no targetArn for PAUSE hooks).
      // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentLifecycleHookDetail.html
      const paused = !ended && deployment.reads <= (deployment.pausedReads ?? 0);
      return {
        serviceDeployments: [
          {
            serviceDeploymentArn: deployment.arn,
            serviceArn: SERVICE_ARN,
            clusterArn: arn(`cluster/${CLUSTER}`),
            createdAt: deployment.createdAt,
            startedAt: deployment.createdAt,
            ...(ended ? { finishedAt: new Date(deployment.createdAt.getTime() + 600_000) } : {}),
            targetServiceRevision: {
              arn: deployment.revisionArn,
              requestedTaskCount: 2,
              runningTaskCount: 2,
              pendingTaskCount: 0,
            },
            status,
            ...(ended && deployment.statusReason ? { statusReason: deployment.statusReason } : {}),
            ...(ended
              ? {}
              : {
                  lifecycleStage: paused ? 'POST_TEST_TRAFFIC_SHIFT' : 'PRODUCTION_TRAFFIC_SHIFT',
                }),
            ...(paused
              ? {
                  lifecycleHookDetails: [
                    {
                      hookId: PAUSE_HOOK_ID,
                      targetType: 'PAUSE',
                      status: 'AWAITING_ACTION',
                      expiresAt: new Date(Date.UTC(2026, 11, 2, 14, 0)),
                      timeoutAction: 'ROLLBACK',
                    },
                  ],
                }
              : {}),
            ...(rolledBack
              ? {
                  rollback: {
                    reason: deployment.statusReason ?? 'rollback',
                    startedAt: deployment.createdAt,
                    serviceRevisionArn: arn(`service-revision/${CLUSTER}/${SERVICE}/1000`),
                  },
                }
              : {}),
          },
        ],
        failures: [],
      };
    });

  mock.on(DeregisterTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    deregistered.push(input.taskDefinition);
    return {
      taskDefinition: { taskDefinitionArn: input.taskDefinition, family, status: 'INACTIVE' },
    };
  });

  return {
    mock,
    deregistered,
    client: new ECSClient({
      region: REGION,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
    taskDefinitionArn,
    get current() {
      return current;
    },
    /** The operations called, in order (the command class names without "Command"). */
    operations(): string[] {
      return mock
        .calls()
        .map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ''));
    },
  };
}
