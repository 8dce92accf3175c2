import { callerIdentity, type OpsClients } from '../aws.js';
import type { OpsEnvironment } from '../environment.js';
import { readStack, requiredOutput } from '../stacks.js';
import { doraFigures } from './dora.js';
import { readReleases } from './history.js';
import type { ReleasesReport } from './render.js';

/** The releases of the window and their DORA figures, read from the pipeline and CodeDeploy. */
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
  const pipelineName = requiredOutput(app, 'PipelineName');
  const since = new Date(now.getTime() - window.hours * 3_600_000);
  progress(`reading ${pipelineName}'s executions since ${since.toISOString()}…`);
  const found = await readReleases(clients, { pipelineName, since });
  progress(`${found.length} releases read`);
  return {
    environment: environment.name,
    pipelineName,
    since: since.toISOString(),
    window: window.label,
    releases: found,
    dora: doraFigures(found, window.hours),
  };
}
