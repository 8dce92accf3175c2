import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import type { OpsClients } from './aws.js';

/**
 * Statuses of a service deployment that has not ended (ECS API reference,
 * ServiceDeployment.status), as infra/lambda/live-rules/resolve-rules.ts
 * lists them: SUCCESSFUL, STOPPED, ROLLBACK_SUCCESSFUL and ROLLBACK_FAILED
 * are final.
 */
export const UNFINISHED_SERVICE_DEPLOYMENT_STATUSES: ServiceDeploymentStatus[] = [
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
];

/** DescribeServiceDeployments takes at most 20 ARNs a call (API reference). */
const DESCRIBE_BATCH = 20;

export interface ServiceDeploymentQuery {
  readonly cluster: string;
  readonly service: string;
  /** Only these statuses. @default all */
  readonly status?: ServiceDeploymentStatus[];
  /** Only those created after this. @default all */
  readonly createdAfter?: Date;
}

/**
 * The service's deployments, described: ListServiceDeployments answers
 * briefs (no lifecycle stage, no rollback), so each page's ARNs go to
 * DescribeServiceDeployments, 20 at a time. One that cannot be described
 * (a `failures` entry) is left out.
 */
export async function readServiceDeployments(
  clients: OpsClients,
  { cluster, service, status, createdAfter }: ServiceDeploymentQuery,
): Promise<ServiceDeployment[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.ecs.send(
      new ListServiceDeploymentsCommand({
        cluster,
        service,
        status,
        createdAt: createdAfter ? { after: createdAfter } : undefined,
        nextToken,
      }),
    );
    for (const brief of page.serviceDeployments ?? []) {
      if (brief.serviceDeploymentArn) arns.push(brief.serviceDeploymentArn);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const described: ServiceDeployment[] = [];
  for (let start = 0; start < arns.length; start += DESCRIBE_BATCH) {
    const { serviceDeployments } = await clients.ecs.send(
      new DescribeServiceDeploymentsCommand({
        serviceDeploymentArns: arns.slice(start, start + DESCRIBE_BATCH),
      }),
    );
    described.push(...(serviceDeployments ?? []));
  }
  return described;
}

/** `…:service-deployment/<cluster>/<service>/<id>` → id. */
export const serviceDeploymentId = (arn: string) => arn.split('/').at(-1) ?? arn;
