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

/**
 * The onEvent handler of the LiveTrafficGuard custom resource (CDK's
 * Provider framework): on every create and update, refuse while a
 * deployment runs, else answer the live target groups, which the listeners
 * of the template then forward to. A thrown error fails the stack update
 * with its message, before any listener changes.
 */

const clients = {
  codedeploy: new CodeDeployClient({ maxAttempts: 4 }),
  elbv2: new ElasticLoadBalancingV2Client({ maxAttempts: 4 }),
};

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

/**
 * CloudFormation's rollback replay: when a stack update fails, it sends the
 * custom resource one more Update, back to the old properties
 * (aws-cdk#17040), the failed update's properties as the "old" ones. Each
 * `cdk deploy` stamps DeployRun with its start time (bin/app.ts), so an
 * Update whose DeployRun is older than the one it replaces is the replay.
 */
export function isRollbackReplay(event: CloudFormationCustomResourceEvent): boolean {
  if (event.RequestType !== 'Update') return false;
  const target = Date.parse(String(event.ResourceProperties.DeployRun));
  const replaced = Date.parse(String(event.OldResourceProperties.DeployRun));
  return Number.isFinite(target) && Number.isFinite(replaced) && target < replaced;
}

export async function handler(
  event: CloudFormationCustomResourceEvent,
  liveTrafficClients: LiveTrafficClients = clients,
): Promise<Response> {
  const physicalResourceId = `live-traffic-${event.LogicalResourceId}`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalResourceId };
  const rollbackReplay = isRollbackReplay(event);
  const live = await resolveLiveTargetGroups(
    inputOf(event.ResourceProperties),
    liveTrafficClients,
    { rollbackReplay },
  );
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
