import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/**
 * The settings a CODE_DEPLOY service is created with and can never take in
 * place: they reach its NetworkConfiguration (subnets: the AZ count and the
 * VPC CIDR they are cut from) or LoadBalancers (container name and port, and
 * the target groups cut for that port in that VPC). For a service under the
 * CODE_DEPLOY controller ECS's UpdateService changes only "the desired
 * count, deployment configuration, health check grace period, task
 * placement constraints and strategies, enable ECS managed tags option, and
 * propagate tags"; the network configuration, platform version, task
 * definition and load balancer change only through a CodeDeploy deployment
 * (ECS API reference, UpdateService:
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html).
 * A CloudFormation update of those properties fails half-way, after the
 * subnets or target groups it depends on were replaced.
 *
 * Keys are the custom resource's property names; values name the setting.
 */
export const SERVICE_SHAPE_FIELDS = {
  NetworkAzCount: 'network.azCount (config)',
  NetworkVpcCidr: 'network.vpcCidr (config)',
  ContainerName: 'container.name (delivery definition)',
  ContainerPort: 'container.port (delivery definition)',
} as const;

export type ServiceShape = { readonly [K in keyof typeof SERVICE_SHAPE_FIELDS]: string };

/**
 * The service's logical id is part of the shape: a planned replacement
 * gives the service a new one (README, "Changes that do need a new
 * service"), and then the settings may change with it.
 */
export const SERVICE_LOGICAL_ID_PROPERTY = 'ServiceLogicalId';

/** The resource type of the service-shape guard (lib/constructs/service-shape-guard.ts). */
export const SERVICE_SHAPE_RESOURCE_TYPE = 'Custom::ServiceShape';

export class ServiceShapeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceShapeRefused';
  }
}

/**
 * Refuse an Update that changes a setting of the service's shape while the
 * service keeps its logical id: the message names each setting, its old and
 * new value, and what to do. Create, Delete and CloudFormation's rollback
 * replay pass (the replay restores the shape the service still has).
 */
export function checkServiceShape(
  event: CloudFormationCustomResourceEvent,
  rollbackReplay: boolean,
): void {
  if (event.RequestType !== 'Update' || rollbackReplay) return;
  const next = event.ResourceProperties;
  const before = event.OldResourceProperties;
  if (next[SERVICE_LOGICAL_ID_PROPERTY] !== before[SERVICE_LOGICAL_ID_PROPERTY]) return;
  const changed = (Object.keys(SERVICE_SHAPE_FIELDS) as (keyof ServiceShape)[]).filter(
    (key) => String(next[key]) !== String(before[key]),
  );
  if (changed.length === 0) return;
  const list = changed
    .map(
      (key) =>
        `${SERVICE_SHAPE_FIELDS[key]} = ${JSON.stringify(next[key])} (deployed: ${JSON.stringify(before[key])})`,
    )
    .join('; ');
  throw new ServiceShapeRefused(
    `${list}: this reaches the NetworkConfiguration or LoadBalancers of the ECS service ` +
      `${String(next[SERVICE_LOGICAL_ID_PROPERTY])}, which ECS does not update in place under the CODE_DEPLOY ` +
      'deployment controller (UpdateService changes only the desired count, deployment configuration, ' +
      'health check grace period, placement, managed tags and propagate tags). Nothing was changed. ' +
      'Put the deployed value back, or plan a new service (infra/README.md, "Changes that do need a new service").',
  );
}
