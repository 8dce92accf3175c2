import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceResponse,
} from 'aws-lambda';
import {
  resolveLiveTargetGroups,
  type LiveTrafficClients,
  type LiveTrafficInput,
} from './resolve.js';
import { isRollbackReplay } from './rollback-replay.js';
import { checkServiceShape, SERVICE_SHAPE_RESOURCE_TYPE } from './service-shape.js';

/**
 * The onEvent handler of the guards' custom resources (CDK's Provider
 * framework). Custom::LiveTrafficGuard: on every create and update, refuse
 * while a deployment runs, else answer the live target groups, which the
 * listeners of the template then forward to. Custom::ServiceShape: refuse
 * an update that changes what the CODE_DEPLOY service cannot take in place
 * (service-shape.ts). A thrown error fails the stack update with its
 * message, before the resources that depend on the guard change.
 */

const clients = {
  cloudformation: new CloudFormationClient({ maxAttempts: 4 }),
  codedeploy: new CodeDeployClient({ maxAttempts: 4 }),
  elbv2: new ElasticLoadBalancingV2Client({ maxAttempts: 4 }),
};

/** The clients of the handler: the guard's, and CloudFormation's to read the stack's status. */
export type GuardClients = LiveTrafficClients & { readonly cloudformation: CloudFormationClient };

type Response = Pick<CloudFormationCustomResourceResponse, 'PhysicalResourceId' | 'Data'>;

export function inputOf(properties: Record<string, unknown>): LiveTrafficInput {
  const text = (name: string) => {
    const value = properties[name];
    if (typeof value !== 'string' || value === '') {
      throw new Error(
        `LiveTrafficGuard: property ${name} = ${JSON.stringify(value)}: expected a non-empty string`,
      );
    }
    return value;
  };
  const port = (name: string) => {
    const value = Number(properties[name]);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new Error(
        `LiveTrafficGuard: property ${name} = ${JSON.stringify(properties[name])}: expected a port`,
      );
    }
    return value;
  };
  return {
    loadBalancerArn: text('LoadBalancerArn'),
    productionPort: port('ProductionPort'),
    testPort: port('TestPort'),
    blueTargetGroupArn: text('BlueTargetGroupArn'),
    greenTargetGroupArn: text('GreenTargetGroupArn'),
    applicationName: text('ApplicationName'),
  };
}

export async function handler(
  event: CloudFormationCustomResourceEvent,
  guardClients: GuardClients = clients,
): Promise<Response> {
  if (event.ResourceType === SERVICE_SHAPE_RESOURCE_TYPE) {
    const physicalResourceId = `service-shape-${event.LogicalResourceId}`;
    if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalResourceId };
    checkServiceShape(event, await isRollbackReplay(event, guardClients.cloudformation));
    return { PhysicalResourceId: physicalResourceId };
  }
  const physicalResourceId = `live-traffic-${event.LogicalResourceId}`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalResourceId };
  const input = inputOf(event.ResourceProperties);
  const rollbackReplay = await isRollbackReplay(event, guardClients.cloudformation);
  const live = await resolveLiveTargetGroups(input, guardClients, { rollbackReplay });
  console.log(JSON.stringify({ requestType: event.RequestType, rollbackReplay, ...live }));
  return {
    PhysicalResourceId: physicalResourceId,
    Data: {
      ProductionTargetGroupArn: live.production.live,
      ProductionIdleTargetGroupArn: live.production.idle,
      TestTargetGroupArn: live.test.live,
      TestIdleTargetGroupArn: live.test.idle,
    },
  };
}
