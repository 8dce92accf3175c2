import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceResponse,
} from 'aws-lambda';
import { isRollbackReplay } from '../live-traffic/rollback-replay.js';
import {
  liveTaskDefinition,
  resolveLiveRules,
  type LiveRulesClients,
  type LiveRulesInput,
} from './resolve-rules.js';

/**
 * The onEvent handler of Custom::LiveRuleGuard (CDK's Provider framework),
 * the LiveTrafficGuard of a service under the ECS deployment controller: on
 * every create and update, refuse while a service deployment runs, else
 * answer the target group each traffic rule forwards to now, which the
 * rules of the template then say. A thrown error fails the stack update
 * with its message, before the resources that depend on the guard change.
 */

const clients = {
  cloudformation: new CloudFormationClient({ maxAttempts: 4 }),
  ecs: new ECSClient({ maxAttempts: 4 }),
  elbv2: new ElasticLoadBalancingV2Client({ maxAttempts: 4 }),
};

export type RuleGuardClients = LiveRulesClients & {
  readonly cloudformation: CloudFormationClient;
};

type Response = Pick<CloudFormationCustomResourceResponse, 'PhysicalResourceId' | 'Data'>;

/** The guard's properties, checked: each problem names the property, its value and what is expected. */
export function ruleInputOf(properties: Record<string, unknown>): LiveRulesInput {
  const text = (name: string) => {
    const value = properties[name];
    if (typeof value !== 'string' || value === '') {
      throw new Error(
        `LiveRuleGuard: property ${name} = ${JSON.stringify(value)}: expected a non-empty string`,
      );
    }
    return value;
  };
  const integer = (name: string, min: number, max: number, what: string) => {
    const value = Number(properties[name]);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(
        `LiveRuleGuard: property ${name} = ${JSON.stringify(properties[name])}: expected ${what} from ${min} to ${max}`,
      );
    }
    return value;
  };
  return {
    loadBalancerArn: text('LoadBalancerArn'),
    productionPort: integer('ProductionPort', 1, 65535, 'a port'),
    testPort: integer('TestPort', 1, 65535, 'a port'),
    blueTargetGroupArn: text('BlueTargetGroupArn'),
    greenTargetGroupArn: text('GreenTargetGroupArn'),
    clusterArn: text('ClusterArn'),
    rulePriority: integer('RulePriority', 1, 50_000, 'a rule priority'),
  };
}

export async function handler(
  event: CloudFormationCustomResourceEvent,
  guardClients: RuleGuardClients = clients,
): Promise<Response> {
  const physicalResourceId = `live-rules-${event.LogicalResourceId}`;
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalResourceId };
  const input = ruleInputOf(event.ResourceProperties);
  const rollbackReplay = await isRollbackReplay(event, guardClients.cloudformation);
  const live = await resolveLiveRules(input, guardClients, { rollbackReplay });
  // With the bootstrap revision given, also the revision the service runs now (see liveTaskDefinition).
  const bootstrap = event.ResourceProperties.BootstrapTaskDefinitionArn as unknown;
  if (bootstrap !== undefined && (typeof bootstrap !== 'string' || bootstrap === '')) {
    throw new Error(
      `LiveRuleGuard: property BootstrapTaskDefinitionArn = ${JSON.stringify(bootstrap)}: expected a task-definition ARN`,
    );
  }
  const taskDefinition =
    typeof bootstrap === 'string'
      ? await liveTaskDefinition(input.clusterArn, bootstrap, guardClients)
      : undefined;
  console.log(
    JSON.stringify({ requestType: event.RequestType, rollbackReplay, ...live, taskDefinition }),
  );
  return {
    PhysicalResourceId: physicalResourceId,
    Data: {
      ProductionTargetGroupArn: live.production.live,
      ProductionIdleTargetGroupArn: live.production.idle,
      TestTargetGroupArn: live.test.live,
      TestIdleTargetGroupArn: live.test.idle,
      ...(taskDefinition ? { ServiceTaskDefinitionArn: taskDefinition } : {}),
    },
  };
}
