import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { answerLiveTargets, type GuardResponse } from '../guard/answer.js';
import { guardProperties } from '../guard/properties.js';
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

/** The guard's properties, checked: each problem names the property, its value and what is expected. */
export function ruleInputOf(properties: Record<string, unknown>): LiveRulesInput {
  const read = guardProperties('LiveRuleGuard', properties);
  return {
    loadBalancerArn: read.text('LoadBalancerArn'),
    productionPort: read.port('ProductionPort'),
    testPort: read.port('TestPort'),
    blueTargetGroupArn: read.text('BlueTargetGroupArn'),
    greenTargetGroupArn: read.text('GreenTargetGroupArn'),
    clusterArn: read.text('ClusterArn'),
    rulePriority: read.integer('RulePriority', 1, 50_000, 'a rule priority'),
  };
}

export async function handler(
  event: CloudFormationCustomResourceEvent,
  guardClients: RuleGuardClients = clients,
): Promise<GuardResponse> {
  // With the bootstrap revision given, also the revision the service runs now (see liveTaskDefinition).
  const bootstrap = event.ResourceProperties.BootstrapTaskDefinitionArn as unknown;
  if (bootstrap !== undefined && (typeof bootstrap !== 'string' || bootstrap === '')) {
    throw new Error(
      `LiveRuleGuard: property BootstrapTaskDefinitionArn = ${JSON.stringify(bootstrap)}: expected a task-definition ARN`,
    );
  }
  return answerLiveTargets(event, {
    physicalResourceId: `live-rules-${event.LogicalResourceId}`,
    input: ruleInputOf,
    cloudformation: guardClients.cloudformation,
    resolve: (input, rollbackReplay) => resolveLiveRules(input, guardClients, { rollbackReplay }),
    more: async (input): Promise<Record<string, string>> =>
      typeof bootstrap === 'string'
        ? {
            ServiceTaskDefinitionArn: await liveTaskDefinition(
              input.clusterArn,
              bootstrap,
              guardClients,
            ),
          }
        : {},
  });
}
