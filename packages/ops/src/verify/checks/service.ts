import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { requiredOutput } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/**
 * The ECS service is ACTIVE, its desired count within the configured
 * autoscaling bounds, every desired task running and none pending, and its
 * PRIMARY task set at steady state.
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
    const running = service.runningCount ?? 0;
    const pending = service.pendingCount ?? 0;
    const primary = (service.taskSets ?? []).find((set) => set.status === 'PRIMARY');
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
    const counts = `desired ${desired} (bounds ${minCount}..${maxCount}), running ${running}, pending ${pending}`;
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
