import { callerIdentity, type OpsClients } from '../aws.js';
import type { OpsEnvironment } from '../environment.js';
import { readStack, requiredOutput } from '../stacks.js';
import { doraFigures } from './dora.js';
import { readReleases } from './history.js';
import type { ReleasesReport } from './render.js';
import { readServiceDeploymentReleases } from './service-deployments.js';

/** Why an environment on the ECS controller has no lead time for changes. */
export const NO_PIPELINE_LEAD_TIME =
  'releases of the ecs controller are read from its service deployments, which name no commit; joining them to the pipeline executions that record the push is not done yet';

/**
 * The releases of the window and their DORA figures: from the pipeline and
 * CodeDeploy, or for an environment on the ECS controller from the
 * service's ECS service deployments.
 */
export async function releases(
  environment: OpsEnvironment,
  clients: OpsClients,
  window: { hours: number; label: string },
  progress: (line: string) => void,
  now: Date = new Date(),
): Promise<ReleasesReport> {
  const identity = await callerIdentity(clients);
  progress(`releases ${environment.name}: account ${identity.account}, ${environment.region}`);
  const app = await readStack(clients.cloudformation, environment.appStackName);
  if (!app) {
    throw new Error(
      `stack ${environment.appStackName} does not exist in ${environment.region}: deploy it first (pnpm exec cdk deploy --all -c env=${environment.name})`,
    );
  }
  const since = new Date(now.getTime() - window.hours * 3_600_000);
  if (environment.config.deployment.controller === 'ecs') {
    const cluster = requiredOutput(app, 'ClusterName');
    const serviceName = requiredOutput(app, 'ServiceName');
    progress(`reading ${serviceName}'s service deployments since ${since.toISOString()}…`);
    const found = await readServiceDeploymentReleases(clients, {
      cluster,
      service: serviceName,
      since,
    });
    progress(`${found.length} releases read`);
    return {
      environment: environment.name,
      source: `service deployments of ${serviceName}`,
      serviceName,
      since: since.toISOString(),
      window: window.label,
      releases: found,
      dora: doraFigures(found, window.hours, NO_PIPELINE_LEAD_TIME),
    };
  }
  const pipelineName = requiredOutput(app, 'PipelineName');
  progress(`reading ${pipelineName}'s executions since ${since.toISOString()}…`);
  const found = await readReleases(clients, { pipelineName, since });
  progress(`${found.length} releases read`);
  return {
    environment: environment.name,
    source: `pipeline ${pipelineName}`,
    pipelineName,
    since: since.toISOString(),
    window: window.label,
    releases: found,
    dora: doraFigures(found, window.hours),
  };
}
