import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { requiredOutput } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/**
 * The ECS service is ACTIVE, its desired count within the configured
 * autoscaling bounds, and its PRIMARY task set (production) running every
 * desired task, none pending, at steady state.
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
    // A CODE_DEPLOY service runs its tasks in task sets: PRIMARY serves
    // production; an ACTIVE one is a deployment's other set (until the
    // termination wait ends), so only PRIMARY's counts are compared.
    const primary = (service.taskSets ?? []).find((set) => set.status === 'PRIMARY');
    const others = (service.taskSets ?? []).filter((set) => set.status !== 'PRIMARY');
    const running = primary?.runningCount ?? service.runningCount ?? 0;
    const pending = primary?.pendingCount ?? service.pendingCount ?? 0;
    const problems: string[] = [];
    if (service.status !== 'ACTIVE') problems.push(`status ${service.status}`);
    if (desired < minCount || desired > maxCount) {
      problems.push(`desired ${desired} outside ${minCount}..${maxCount}`);
    }
    if (running !== desired) problems.push(`running ${running} of ${desired}`);
    if (pending > 0) problems.push(`${pending} pending`);
    if (!primary) problems.push('no PRIMARY task set');
    else if (primary.stabilityStatus && primary.stabilityStatus !== 'STEADY_STATE') {
      problems.push(`PRIMARY task set ${primary.stabilityStatus}`);
    }
    const counts =
      `desired ${desired} (bounds ${minCount}..${maxCount}), running ${running}, pending ${pending}` +
      (others.length > 0
        ? `; a deployment's other task set is still up (${others.map((set) => `${set.status} ${set.runningCount ?? 0} running`).join(', ')})`
        : '');
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
