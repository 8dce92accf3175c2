import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import type { OpsClients } from '../aws.js';
import { readServiceDeployments, serviceDeploymentId } from '../service-deployments.js';
import type { Release, ReleaseOutcome } from './history.js';

export interface ServiceDeploymentSource {
  readonly cluster: string;
  readonly service: string;
  readonly since: Date;
}

/**
 * How a service deployment ended (ECS API reference, ServiceDeployment.status):
 * SUCCESSFUL deployed; ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED rolled back
 * (counted as a failed change: ECS does not report whether production
 * traffic had moved before the rollback, so the rate errs high, never
 * low); STOPPED stopped on request; the rest are unfinished.
 */
function outcomeOf(deployment: ServiceDeployment): ReleaseOutcome {
  switch (deployment.status) {
    case 'SUCCESSFUL':
      return 'deployed';
    case 'ROLLBACK_SUCCESSFUL':
    case 'ROLLBACK_FAILED':
      return 'rolled-back';
    case 'STOPPED':
      return 'stopped';
    default:
      return 'in-progress';
  }
}

/**
 * The service deployments ECS started in the window, newest first, as
 * releases: start, finish, status, the target service revision. No
 * commit and no push time: a service deployment names none (the pipeline
 * that started it records them; joining the two is not done yet).
 */
export async function readServiceDeploymentReleases(
  clients: OpsClients,
  { cluster, service, since }: ServiceDeploymentSource,
): Promise<Release[]> {
  const described = await readServiceDeployments(clients, {
    cluster,
    service,
    createdAfter: since,
  });
  return described
    .flatMap((deployment): Release[] => {
      const start = deployment.startedAt ?? deployment.createdAt;
      if (!start || !deployment.serviceDeploymentArn) return [];
      const outcome = outcomeOf(deployment);
      const end =
        outcome === 'in-progress' ? undefined : (deployment.finishedAt ?? deployment.stoppedAt);
      return [
        {
          start,
          end,
          deploymentId: serviceDeploymentId(deployment.serviceDeploymentArn),
          deploymentStatus: deployment.status,
          serviceDeploymentArn: deployment.serviceDeploymentArn,
          targetServiceRevisionArn: deployment.targetServiceRevision?.arn,
          // From the rollback's start (the failure seen) to the deployment's end (the revision before serving again).
          failedInProductionAt:
            outcome === 'rolled-back' ? deployment.rollback?.startedAt : undefined,
          restoredAt: deployment.status === 'ROLLBACK_SUCCESSFUL' ? end : undefined,
          outcome,
        },
      ];
    })
    .sort((a, b) => b.start.getTime() - a.start.getTime());
}
