import {
  GetDeploymentCommand,
  ListDeploymentsCommand,
  type DeploymentStatus,
} from '@aws-sdk/client-codedeploy';
import type { InfraConfig } from '@webapp-color/infra/environments';
import { requiredOutput } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/** Statuses of a deployment that has not ended (API reference, DeploymentStatus). */
const UNFINISHED: DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];

/** Each hook's Lambda timeout (infra/lib/constructs/deployment-hook.ts, HOOK_TIMEOUT). */
const HOOK_MINUTES = 5;
/** Room for Install (task set start, health checks) and the reroutes. */
const INSTALL_MINUTES = 30;

/**
 * How long a deployment of this configuration may take before it counts as
 * stuck: install, both hooks, the traffic shift, the termination wait.
 */
export function stuckAfterMinutes(config: InfraConfig): number {
  const { strategy, terminationWaitMinutes } = config.deployment;
  const shift =
    strategy.type === 'canary'
      ? strategy.intervalMinutes
      : strategy.type === 'linear'
        ? Math.ceil(100 / strategy.percent) * strategy.intervalMinutes
        : 0;
  return INSTALL_MINUTES + 2 * HOOK_MINUTES + shift + terminationWaitMinutes;
}

/** No CodeDeploy deployment has been unfinished longer than a release of this configuration takes. */
export const deploymentsCheck: Check = {
  id: 'no-stuck-deployment',
  title: 'no deployment stuck',
  controllers: ['codedeploy'],
  notApplicableBecause: 'it runs no CodeDeploy deployment (see the service-deployments line)',
  async run({ clients, app, environment, now }) {
    const applicationName = requiredOutput(app, 'CodeDeployApplication');
    const deploymentGroupName = requiredOutput(app, 'DeploymentGroupName');
    const limit = stuckAfterMinutes(environment.config);
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await clients.codedeploy.send(
        new ListDeploymentsCommand({
          applicationName,
          deploymentGroupName,
          includeOnlyStatuses: UNFINISHED,
          nextToken,
        }),
      );
      ids.push(...(page.deployments ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    if (ids.length === 0)
      return pass(`none unfinished in ${applicationName}/${deploymentGroupName}`);
    const running: string[] = [];
    const stuck: string[] = [];
    for (const deploymentId of ids) {
      const { deploymentInfo } = await clients.codedeploy.send(
        new GetDeploymentCommand({ deploymentId }),
      );
      const started = deploymentInfo?.createTime ?? now;
      const minutes = Math.floor((now.getTime() - started.getTime()) / 60_000);
      const line = `${deploymentId} ${deploymentInfo?.status ?? 'unknown'} for ${minutes} min`;
      (minutes > limit ? stuck : running).push(line);
    }
    if (stuck.length > 0) {
      const first = stuck[0]!.split(' ')[0]!;
      return fail(
        `${stuck.join(', ')} (a release of this configuration takes at most ${limit} min)`,
        `look at its lifecycle events in the CodeDeploy console; to end it: aws deploy stop-deployment ` +
          `--deployment-id ${first} --auto-rollback-enabled --region ${environment.region}`,
      );
    }
    return pass(`${running.join(', ')}: running, not stuck (limit ${limit} min)`);
  },
};
