import { DescribeServicesCommand, type Service } from '@aws-sdk/client-ecs';
import { requiredOutput } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

interface ProductionTasks {
  readonly running: number;
  readonly pending: number;
  readonly problems: readonly string[];
  /** What else is up: a deployment's other task set or revision. */
  readonly others?: string;
}

/**
 * A CODE_DEPLOY service runs its tasks in task sets: PRIMARY serves
 * production; an ACTIVE one is a deployment's other set (until the
 * termination wait ends), so only PRIMARY's counts are compared.
 */
function taskSetTasks(service: Service): ProductionTasks {
  const primary = (service.taskSets ?? []).find((set) => set.status === 'PRIMARY');
  const others = (service.taskSets ?? []).filter((set) => set.status !== 'PRIMARY');
  const problems: string[] = [];
  if (!primary) problems.push('no PRIMARY task set');
  else if (primary.stabilityStatus && primary.stabilityStatus !== 'STEADY_STATE') {
    problems.push(`PRIMARY task set ${primary.stabilityStatus}`);
  }
  return {
    running: primary?.runningCount ?? service.runningCount ?? 0,
    pending: primary?.pendingCount ?? service.pendingCount ?? 0,
    problems,
    others:
      others.length > 0
        ? `a deployment's other task set is still up (${others.map((set) => `${set.status} ${set.runningCount ?? 0} running`).join(', ')})`
        : undefined,
  };
}

/**
 * A service on the ECS controller has no task sets: its PRIMARY entry of
 * `deployments` runs production's revision (rolloutState COMPLETED once
 * stable); an ACTIVE one is a service deployment's other revision.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
 */
function nativeTasks(service: Service): ProductionTasks {
  const primary = (service.deployments ?? []).find((d) => d.status === 'PRIMARY');
  const others = (service.deployments ?? []).filter((d) => d.status === 'ACTIVE');
  const problems: string[] = [];
  if (!primary) problems.push('no PRIMARY deployment');
  else if (primary.rolloutState && primary.rolloutState !== 'COMPLETED') {
    problems.push(`PRIMARY deployment ${primary.rolloutState}`);
  }
  return {
    running: primary?.runningCount ?? service.runningCount ?? 0,
    pending: primary?.pendingCount ?? service.pendingCount ?? 0,
    problems,
    others:
      others.length > 0
        ? `a service deployment's other revision is still up (${others.map((d) => `${d.runningCount ?? 0} running`).join(', ')})`
        : undefined,
  };
}

/**
 * The ECS service is ACTIVE, its desired count within the configured
 * autoscaling bounds, and its PRIMARY task set (production) running every
 * desired task, none pending, at steady state; on the ECS controller its
 * PRIMARY deployment does.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html
 */
export const serviceCheck: Check = {
  id: 'service-stable',
  title: 'ECS service stable at its counts',
  async run({ clients, app, environment }) {
    const cluster = requiredOutput(app, 'ClusterName');
    const serviceName = requiredOutput(app, 'ServiceName');
    const { minCount, maxCount } = environment.config.service;
    const { services, failures } = await clients.ecs.send(
      new DescribeServicesCommand({ cluster, services: [serviceName] }),
    );
    const service = services?.[0];
    if (!service) {
      return fail(
        `${cluster}/${serviceName}: ${failures?.[0]?.reason ?? 'not found'}`,
        'deploy the app stack; if it was deleted by hand, deploy again to recreate it',
      );
    }
    const desired = service.desiredCount ?? 0;
    const tasks =
      service.deploymentController?.type === 'ECS' ? nativeTasks(service) : taskSetTasks(service);
    const problems: string[] = [];
    if (service.status !== 'ACTIVE') problems.push(`status ${service.status}`);
    if (desired < minCount || desired > maxCount) {
      problems.push(`desired ${desired} outside ${minCount}..${maxCount}`);
    }
    if (tasks.running !== desired) problems.push(`running ${tasks.running} of ${desired}`);
    if (tasks.pending > 0) problems.push(`${tasks.pending} pending`);
    problems.push(...tasks.problems);
    const counts =
      `desired ${desired} (bounds ${minCount}..${maxCount}), running ${tasks.running}, pending ${tasks.pending}` +
      (tasks.others ? `; ${tasks.others}` : '');
    if (problems.length > 0) {
      return fail(
        `${serviceName}: ${problems.join(', ')}`,
        `read the service's events: aws ecs describe-services --cluster ${cluster} --services ${serviceName} ` +
          `--region ${environment.region} --query 'services[0].events[:5]' (tasks failing health checks, ` +
          'no capacity, image pull errors); a desired count outside the bounds means the scalable target was changed by hand',
      );
    }
    return pass(`${serviceName}: ${counts}`);
  },
};
