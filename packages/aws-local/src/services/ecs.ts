import type {
  DescribeServicesResponse,
  DescribeTaskDefinitionResponse,
  Failure,
  Service,
  TaskDefinition,
} from '@aws-sdk/client-ecs';
import { AwsServiceError } from '../protocols/errors.js';
import type { JsonOperation } from '../protocols/json.js';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  taskDefinitionArn,
  type AwsWorld,
  type WorldTaskDefinition,
} from '../world.js';

/**
 * ECS (awsJson1_1, `X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Op>`).
 * Shapes follow the SDK's output types and the API reference:
 * - DescribeServices: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
 *   An unknown service is a `failures` entry with reason MISSING, not an
 *   error; an unknown cluster is ClusterNotFoundException. A CODE_DEPLOY
 *   service lists its blue and green sets under `taskSets`.
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
