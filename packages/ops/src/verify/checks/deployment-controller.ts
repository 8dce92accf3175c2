import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { nativeDeploymentOf } from '@webapp-color/infra/environments';
import { requiredOutput } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/**
 * The service runs on ECS's own deployment controller with the strategy
 * and bake time the configuration maps to (infra/config/ecs-deployment.ts,
 * nativeDeploymentOf): a service created under CODE_DEPLOY keeps that
 * controller, and the environment's releases would not be what its
 * configuration says.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html
 */
export const deploymentControllerCheck: Check = {
  id: 'deployment-controller',
  title: 'service on the ECS deployment controller',
  controllers: ['ecs'],
  async run({ clients, app, environment }) {
    const cluster = requiredOutput(app, 'ClusterName');
    const serviceName = requiredOutput(app, 'ServiceName');
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
    const { strategy, terminationWaitMinutes } = environment.config.deployment;
    const expected = nativeDeploymentOf(strategy, terminationWaitMinutes);
    const controller = service.deploymentController?.type ?? 'ECS';
    const configuration = service.deploymentConfiguration;
    const problems: string[] = [];
    if (controller !== 'ECS') problems.push(`deploymentController ${controller}`);
    if (configuration?.strategy !== expected.strategy) {
      problems.push(
        `strategy ${configuration?.strategy ?? '(none)'}, expected ${expected.strategy}`,
      );
    }
    if (configuration?.bakeTimeInMinutes !== expected.bakeTimeMinutes) {
      problems.push(
        `bake time ${configuration?.bakeTimeInMinutes ?? '(none)'} min, expected ${expected.bakeTimeMinutes}`,
      );
    }
    if (problems.length > 0) {
      return fail(
        `${serviceName}: ${problems.join(', ')}`,
        controller !== 'ECS'
          ? 'a service keeps the controller it was created with: follow docs/ecs-native.md to move it to the ECS controller'
          : `deploy the app stack (pnpm exec cdk deploy --all -c env=${environment.name}) to apply the configuration`,
      );
    }
    return pass(
      `${serviceName}: ECS, ${expected.strategy}, bake time ${expected.bakeTimeMinutes} min`,
    );
  },
};
