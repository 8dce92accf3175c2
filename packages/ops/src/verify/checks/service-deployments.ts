import {
  nativeDeploymentMinutes,
  nativeDeploymentOf,
  type InfraConfig,
} from '@webapp-color/infra/environments';
import {
  UNFINISHED_SERVICE_DEPLOYMENT_STATUSES,
  readServiceDeployments,
  serviceDeploymentId,
} from '../../service-deployments.js';
import { requiredOutput } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/** Room for scaling up the new revision (tasks start, pass health checks) and the rule changes. */
const SCALE_UP_MINUTES = 30;

/**
 * How long a service deployment of this configuration may take before it
 * counts as stuck: scaling up, the canary or linear steps and the bake
 * time (infra/config/ecs-deployment.ts, nativeDeploymentMinutes). No
 * lifecycle hook time: infra wires none yet.
 */
export function serviceDeploymentStuckAfterMinutes(config: InfraConfig): number {
  const { strategy, terminationWaitMinutes } = config.deployment;
  return (
    SCALE_UP_MINUTES + nativeDeploymentMinutes(nativeDeploymentOf(strategy, terminationWaitMinutes))
  );
}

/** No ECS service deployment has been unfinished longer than a release of this configuration takes. */
export const serviceDeploymentsCheck: Check = {
  id: 'no-stuck-service-deployment',
  title: 'no service deployment stuck',
  controllers: ['ecs'],
  async run({ clients, app, environment, now }) {
    const cluster = requiredOutput(app, 'ClusterName');
    const service = requiredOutput(app, 'ServiceName');
    const limit = serviceDeploymentStuckAfterMinutes(environment.config);
    const unfinished = (
      await readServiceDeployments(clients, {
        cluster,
        service,
        status: UNFINISHED_SERVICE_DEPLOYMENT_STATUSES,
      })
    ).filter(
      // One that ended between the two calls is described with its final status.
      (d) => d.status !== undefined && UNFINISHED_SERVICE_DEPLOYMENT_STATUSES.includes(d.status),
    );
    if (unfinished.length === 0) return pass(`none unfinished in ${cluster}/${service}`);
    const running: { line: string; arn: string }[] = [];
    const stuck: { line: string; arn: string }[] = [];
    for (const deployment of unfinished) {
      const started = deployment.startedAt ?? deployment.createdAt ?? now;
      const minutes = Math.floor((now.getTime() - started.getTime()) / 60_000);
      const arn = deployment.serviceDeploymentArn ?? '';
      const stage = deployment.lifecycleStage ? ` at ${deployment.lifecycleStage}` : '';
      const line = `${serviceDeploymentId(arn)} ${deployment.status}${stage} for ${minutes} min`;
      (minutes > limit ? stuck : running).push({ line, arn });
    }
    if (stuck.length > 0) {
      return fail(
        `${stuck.map((s) => s.line).join(', ')} (a release of this configuration takes at most ${limit} min)`,
        `read the service's events (aws ecs describe-services --cluster ${cluster} --services ${service} ` +
          `--query 'services[0].events[:5]'); to end it: aws ecs stop-service-deployment ` +
          `--service-deployment-arn ${stuck[0]!.arn} --stop-type ROLLBACK --region ${environment.region}`,
      );
    }
    return pass(
      `${running.map((r) => r.line).join(', ')}: running, not stuck (limit ${limit} min)`,
    );
  },
};
