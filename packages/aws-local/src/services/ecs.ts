import type {
  ContinueServiceDeploymentResponse,
  DescribeServiceDeploymentsResponse,
  DescribeServiceRevisionsResponse,
  DescribeServicesResponse,
  DescribeTaskDefinitionResponse,
  Failure,
  ListServiceDeploymentsResponse,
  Service,
  ServiceDeployment,
  ServiceDeploymentBrief,
  ServiceRevision,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { AwsServiceError } from '../protocols/errors.js';
import type { JsonOperation } from '../protocols/json.js';
import { page, pageSize } from '../protocols/paging.js';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  startRollback,
  taskDefinitionArn,
  type AwsWorld,
  type WorldService,
  type WorldTaskDefinition,
} from '../world.js';

/**
 * ECS (awsJson1_1, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Op>`).
 * Shapes follow the SDK's output types and the API reference:
 * - DescribeServices: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
 *   An unknown service is a `failures` entry with reason MISSING, not an
 *   error; an unknown cluster is ClusterNotFoundException. A CODE_DEPLOY
 *   service lists its blue and green sets under `taskSets`; a service on
 *   the ECS controller has no `taskSets` member and runs its tasks in
 *   `deployments` (the PRIMARY one), with its `deploymentConfiguration`.
 * - ListServiceDeployments: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html
 *   Briefs only (no lifecycle stage, no rollback, no revision counts):
 *   those need DescribeServiceDeployments. Filters `status` and
 *   `createdAt` ({after, before}, epoch seconds on the wire); pages of
 *   `maxResults` (1 to 100, default 20), newest first; an unknown service
 *   is ServiceNotFoundException.
 * - DescribeServiceDeployments: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceDeployments.html
 *   1 to 20 ARNs; an unknown one is a `failures` entry (reason MISSING),
 *   not an error.
 * - DescribeServiceRevisions: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceRevisions.html
 *   1 to 20 ARNs; an unknown one is a `failures` entry (reason MISSING),
 *   not an error. A revision carries its service's and cluster's ARNs and
 *   the task definition it runs (what the native hooks read).
 * - ContinueServiceDeployment: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContinueServiceDeployment.html
 *   and https://docs.aws.amazon.com/AmazonECS/latest/developerguide/continue-service-deployment.html
 *   `serviceDeploymentArn` and `hookId` required, `action` CONTINUE (the
 *   default) or ROLLBACK; answers `{ serviceDeploymentArn }`. An unknown
 *   deployment is ServiceDeploymentNotFoundException. The hook must be a
 *   PAUSE hook in AWAITING_ACTION and the deployment IN_PROGRESS (the guide's
 *   prerequisites); the reference does not say which error breaks them, so
 *   this answers InvalidParameterException (code assumed, message ours).
 *   CONTINUE marks the hook SUCCEEDED; ROLLBACK puts the deployment into
 *   ECS's rollback (ROLLBACK_IN_PROGRESS, `rollback` naming the source revision).
 * - DescribeTaskDefinition: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html
 *   Accepts a family (latest ACTIVE revision), `family:revision` or an ARN;
 *   an unknown one is ClientException "Unable to describe task definition.".
 */

export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113';

function lastSegment(nameOrArn: string): string {
  return nameOrArn.split('/').at(-1) ?? nameOrArn;
}

function findTaskDefinition(world: AwsWorld, reference: string): WorldTaskDefinition | undefined {
  const familyAndRevision = reference.startsWith('arn:') ? lastSegment(reference) : reference;
  const [family, revisionText] = familyAndRevision.split(':');
  const ofFamily = world.taskDefinitions.filter((t) => t.family === family);
  if (revisionText !== undefined) return ofFamily.find((t) => t.revision === Number(revisionText));
  return ofFamily
    .filter((t) => (t.status ?? 'ACTIVE') === 'ACTIVE')
    .sort((a, b) => b.revision - a.revision)[0];
}

/** DescribeServices' answer for a service on the ECS controller: no task sets, its deployments. */
function nativeService(found: WorldService, serviceArn: string, clusterArn: string): Service {
  const deployments = found.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  return {
    serviceArn,
    serviceName: found.serviceName,
    clusterArn,
    status: 'ACTIVE',
    desiredCount: found.desiredCount ?? 2,
    runningCount: primary?.runningCount ?? 0,
    pendingCount: primary?.pendingCount ?? 0,
    launchType: 'FARGATE',
    platformVersion: 'LATEST',
    taskDefinition: primary?.taskDefinition,
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: found.deploymentConfiguration,
    deployments,
    events: [],
    createdAt: primary?.createdAt,
    schedulingStrategy: 'REPLICA',
    enableECSManagedTags: true,
    propagateTags: 'SERVICE',
    enableExecuteCommand: false,
  };
}

export function ecsOperations(world: AwsWorld, startedAt: Date): Record<string, JsonOperation> {
  const region = () => world.region ?? DEFAULT_REGION;
  const account = () => world.accountId ?? DEFAULT_ACCOUNT_ID;
  const clusterArn = (name: string) => `arn:aws:ecs:${region()}:${account()}:cluster/${name}`;

  return {
    DescribeServices(input): DescribeServicesResponse {
      const cluster = lastSegment(typeof input.cluster === 'string' ? input.cluster : 'default');
      const names = input.services;
      if (!Array.isArray(names) || names.length === 0 || names.length > 10) {
        throw new AwsServiceError(
          'InvalidParameterException',
          'services must name between 1 and 10 services',
        );
      }
      const inCluster = world.services.filter((s) => s.clusterName === cluster);
      if (inCluster.length === 0) {
        throw new AwsServiceError('ClusterNotFoundException', 'Cluster not found.');
      }
      const services: Service[] = [];
      const failures: Failure[] = [];
      for (const requested of names.map(String)) {
        const found = inCluster.find((s) => s.serviceName === lastSegment(requested));
        const serviceArn = `arn:aws:ecs:${region()}:${account()}:service/${cluster}/${lastSegment(requested)}`;
        if (!found) {
          failures.push({ arn: serviceArn, reason: 'MISSING' });
          continue;
        }
        const controller = found.deploymentController ?? 'CODE_DEPLOY';
        if (controller === 'ECS') {
          services.push(nativeService(found, serviceArn, clusterArn(cluster)));
          continue;
        }
        const primary = found.taskSets.find((set) => set.status === 'PRIMARY');
        services.push({
          serviceArn,
          serviceName: found.serviceName,
          clusterArn: clusterArn(cluster),
          status: 'ACTIVE',
          desiredCount: found.desiredCount ?? 2,
          runningCount: primary?.runningCount ?? 0,
          pendingCount: primary?.pendingCount ?? 0,
          launchType: 'FARGATE',
          platformVersion: 'LATEST',
          taskDefinition: primary?.taskDefinition,
          deploymentController: { type: 'CODE_DEPLOY' },
          taskSets: found.taskSets,
          deployments: [],
          events: [],
          createdAt: startedAt,
          schedulingStrategy: 'REPLICA',
          enableECSManagedTags: true,
          propagateTags: 'SERVICE',
          enableExecuteCommand: false,
        });
      }
      return { services, failures };
    },

    ListServiceDeployments(input): ListServiceDeploymentsResponse {
      const cluster = lastSegment(typeof input.cluster === 'string' ? input.cluster : 'default');
      if (typeof input.service !== 'string' || input.service === '') {
        throw new AwsServiceError('InvalidParameterException', 'service can not be blank.');
      }
      const inCluster = world.services.filter((s) => s.clusterName === cluster);
      if (inCluster.length === 0) {
        throw new AwsServiceError('ClusterNotFoundException', 'Cluster not found.');
      }
      const found = inCluster.find((s) => s.serviceName === lastSegment(String(input.service)));
      if (!found) throw new AwsServiceError('ServiceNotFoundException', 'Service not found.');
      const statuses = Array.isArray(input.status) ? input.status.map(String) : [];
      const createdAt = (input.createdAt ?? {}) as { after?: unknown; before?: unknown };
      const after = typeof createdAt.after === 'number' ? createdAt.after * 1000 : -Infinity;
      const before = typeof createdAt.before === 'number' ? createdAt.before * 1000 : Infinity;
      const serviceArn = `arn:aws:ecs:${region()}:${account()}:service/${cluster}/${found.serviceName}`;
      const briefs: ServiceDeploymentBrief[] = (found.serviceDeployments ?? [])
        .filter((d) => statuses.length === 0 || statuses.includes(d.status ?? ''))
        .filter((d) => {
          const created = d.createdAt?.getTime() ?? 0;
          return created >= after && created <= before;
        })
        .sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0))
        .map((d) => ({
          serviceDeploymentArn: d.serviceDeploymentArn,
          serviceArn,
          clusterArn: clusterArn(cluster),
          startedAt: d.startedAt,
          createdAt: d.createdAt,
          finishedAt: d.finishedAt,
          targetServiceRevisionArn: d.targetServiceRevision?.arn,
          status: d.status,
          statusReason: d.statusReason,
        }));
      const { items, next } = page(
        briefs,
        input.nextToken,
        pageSize(input.maxResults, 20, 100, 'InvalidParameterException'),
        'InvalidParameterException',
      );
      return { serviceDeployments: items, nextToken: next };
    },

    DescribeServiceDeployments(input): DescribeServiceDeploymentsResponse {
      const arns = input.serviceDeploymentArns;
      if (!Array.isArray(arns) || arns.length === 0 || arns.length > 20) {
        throw new AwsServiceError(
          'InvalidParameterException',
          'serviceDeploymentArns must name between 1 and 20 service deployments',
        );
      }
      const serviceDeployments: ServiceDeployment[] = [];
      const failures: Failure[] = [];
      for (const arn of arns.map(String)) {
        const owner = world.services.find((s) =>
          (s.serviceDeployments ?? []).some((d) => d.serviceDeploymentArn === arn),
        );
        const found = owner?.serviceDeployments?.find((d) => d.serviceDeploymentArn === arn);
        if (!owner || !found) {
          failures.push({ arn, reason: 'MISSING' });
          continue;
        }
        serviceDeployments.push({
          serviceArn: `arn:aws:ecs:${region()}:${account()}:service/${owner.clusterName}/${owner.serviceName}`,
          clusterArn: clusterArn(owner.clusterName),
          ...found,
        });
      }
      return { serviceDeployments, failures };
    },

    ContinueServiceDeployment(input): ContinueServiceDeploymentResponse {
      const { serviceDeploymentArn, hookId } = input;
      if (typeof serviceDeploymentArn !== 'string' || serviceDeploymentArn === '') {
        throw new AwsServiceError(
          'InvalidParameterException',
          'serviceDeploymentArn can not be blank.',
        );
      }
      if (typeof hookId !== 'string' || hookId === '') {
        throw new AwsServiceError('InvalidParameterException', 'hookId can not be blank.');
      }
      const action = input.action ?? 'CONTINUE';
      if (action !== 'CONTINUE' && action !== 'ROLLBACK') {
        throw new AwsServiceError(
          'InvalidParameterException',
          `action ${JSON.stringify(action)}: expected CONTINUE or ROLLBACK`,
        );
      }
      const deployment = world.services
        .flatMap((s) => s.serviceDeployments ?? [])
        .find((d) => d.serviceDeploymentArn === serviceDeploymentArn);
      if (!deployment) {
        throw new AwsServiceError(
          'ServiceDeploymentNotFoundException',
          'The service deployment does not exist.',
        );
      }
      const hook = (deployment.lifecycleHookDetails ?? []).find((h) => h.hookId === hookId);
      if (!hook || hook.targetType !== 'PAUSE' || hook.status !== 'AWAITING_ACTION') {
        throw new AwsServiceError(
          'InvalidParameterException',
          `hookId ${hookId}: no PAUSE lifecycle hook of this service deployment is in AWAITING_ACTION`,
        );
      }
      if (deployment.status !== 'IN_PROGRESS') {
        throw new AwsServiceError(
          'InvalidParameterException',
          `the service deployment is ${deployment.status ?? 'not IN_PROGRESS'}; only an IN_PROGRESS one can be continued`,
        );
      }
      hook.status = 'SUCCEEDED';
      deployment.updatedAt = new Date();
      if (action === 'ROLLBACK') {
        startRollback(world, serviceDeploymentArn, {
          reason: `rolled back at the PAUSE lifecycle hook ${hookId} (ContinueServiceDeployment ROLLBACK)`,
        });
      }
      return { serviceDeploymentArn };
    },

    DescribeServiceRevisions(input): DescribeServiceRevisionsResponse {
      const arns = input.serviceRevisionArns;
      if (!Array.isArray(arns) || arns.length === 0 || arns.length > 20) {
        throw new AwsServiceError(
          'InvalidParameterException',
          'serviceRevisionArns must name between 1 and 20 service revisions',
        );
      }
      const serviceRevisions: ServiceRevision[] = [];
      const failures: Failure[] = [];
      for (const arn of arns.map(String)) {
        const owner = world.services.find((s) =>
          (s.serviceRevisions ?? []).some((r) => r.serviceRevisionArn === arn),
        );
        const found = owner?.serviceRevisions?.find((r) => r.serviceRevisionArn === arn);
        if (!owner || !found) {
          failures.push({ arn, reason: 'MISSING' });
          continue;
        }
        serviceRevisions.push({
          serviceArn: `arn:aws:ecs:${region()}:${account()}:service/${owner.clusterName}/${owner.serviceName}`,
          clusterArn: clusterArn(owner.clusterName),
          launchType: 'FARGATE',
          platformVersion: '1.4.0',
          platformFamily: 'Linux',
          createdAt: startedAt,
          ...found,
        });
      }
      return { serviceRevisions, failures };
    },

    DescribeTaskDefinition(input): DescribeTaskDefinitionResponse {
      const reference = input.taskDefinition;
      if (typeof reference !== 'string' || reference === '') {
        throw new AwsServiceError('ClientException', 'TaskDefinition can not be blank.');
      }
      const found = findTaskDefinition(world, reference);
      if (!found)
        throw new AwsServiceError('ClientException', 'Unable to describe task definition.');
      const taskDefinition: TaskDefinition = {
        taskDefinitionArn: taskDefinitionArn(world, found.family, found.revision),
        containerDefinitions: found.containerDefinitions,
        family: found.family,
        revision: found.revision,
        status: found.status ?? 'ACTIVE',
        executionRoleArn: found.executionRoleArn,
        taskRoleArn: found.taskRoleArn,
        networkMode: 'awsvpc',
        volumes: [],
        placementConstraints: [],
        requiresAttributes: [],
        compatibilities: ['EC2', 'FARGATE'],
        requiresCompatibilities: ['FARGATE'],
        cpu: found.cpu ?? '256',
        memory: found.memory ?? '512',
        registeredAt: startedAt,
        registeredBy: `arn:aws:iam::${account()}:role/codepipeline-deploy`,
      };
      return { taskDefinition };
    },
  };
}
