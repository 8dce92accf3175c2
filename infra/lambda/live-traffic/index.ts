import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { answerLiveTargets, type GuardResponse } from '../guard/answer.js';
import { guardProperties } from '../guard/properties.js';
import { isRollbackReplay } from '../guard/rollback-replay.js';
import {
  resolveLiveTargetGroups,
  type LiveTrafficClients,
  type LiveTrafficInput,
} from './resolve.js';
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

export function inputOf(properties: Record<string, unknown>): LiveTrafficInput {
  const read = guardProperties('LiveTrafficGuard', properties);
  return {
    loadBalancerArn: read.text('LoadBalancerArn'),
    productionPort: read.port('ProductionPort'),
    testPort: read.port('TestPort'),
    blueTargetGroupArn: read.text('BlueTargetGroupArn'),
    greenTargetGroupArn: read.text('GreenTargetGroupArn'),
    applicationName: read.text('ApplicationName'),
  };
}

export async function handler(
  event: CloudFormationCustomResourceEvent,
  guardClients: GuardClients = clients,
): Promise<GuardResponse> {
  if (event.ResourceType === SERVICE_SHAPE_RESOURCE_TYPE) {
    const physicalResourceId = `service-shape-${event.LogicalResourceId}`;
    if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalResourceId };
    checkServiceShape(event, await isRollbackReplay(event, guardClients.cloudformation));
    return { PhysicalResourceId: physicalResourceId };
  }
  return answerLiveTargets(event, {
    physicalResourceId: `live-traffic-${event.LogicalResourceId}`,
    input: inputOf,
    cloudformation: guardClients.cloudformation,
    resolve: (input, rollbackReplay) =>
      resolveLiveTargetGroups(input, guardClients, { rollbackReplay }),
  });
}
