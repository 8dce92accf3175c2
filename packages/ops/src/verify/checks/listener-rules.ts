import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  type Listener,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { OpsClients } from '../../aws.js';
import { physicalIds } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';
import { forwardedTo, groupName } from '../forwarding.js';

/** The priority of the traffic rule on each listener (infra/lib/constructs/edge.ts, TRAFFIC_RULE_PRIORITY). */
export const TRAFFIC_RULE_PRIORITY = 1;

async function listenersOf(clients: OpsClients, loadBalancerArn: string): Promise<Listener[]> {
  const listeners: Listener[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.elbv2.send(
      new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker }),
    );
    listeners.push(...(page.Listeners ?? []));
    marker = page.NextMarker;
  } while (marker);
  return listeners;
}

/** The listener's rule at `priority` (a string in the answer: "1"…"50000" or "default"). */
async function ruleAt(
  clients: OpsClients,
  listenerArn: string,
  priority: number,
): Promise<Rule | undefined> {
  let marker: string | undefined;
  do {
    const page = await clients.elbv2.send(
      new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }),
    );
    const rule = (page.Rules ?? []).find((r) => r.Priority === String(priority));
    if (rule) return rule;
    marker = page.NextMarker;
  } while (marker);
  return undefined;
}

/**
 * The production and test listeners' priority-1 rules each forward all
 * traffic to one of the stack's two target groups: what the LiveRuleGuard
 * (infra/lambda/live-rules/resolve-rules.ts, `resolveLiveRules` and
 * `ruleTargets`) needs to let the next `cdk deploy` through. It refuses a
 * rule that splits traffic (a deployment stopped half-way) or forwards to
 * a group that is not the stack's. Where the guard takes a missing rule
 * for "before the first deploy", verify fails it: the deployed stack
 * creates both rules. Mirrored rather than imported: infra's package
 * exports its configuration and timings, not its Lambda code.
 */
export const listenerRulesCheck: Check = {
  id: 'listener-rules',
  title: 'listener rules in the shape the live-rule guard expects',
  controllers: ['ecs'],
  async run({ clients, app, environment }) {
    const [loadBalancerArn] = physicalIds(app, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    const ours = physicalIds(app, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    if (!loadBalancerArn || ours.length !== 2) {
      return fail(
        `stack ${app.name} has ${loadBalancerArn ? 'a load balancer' : 'no load balancer'} and ${ours.length} target groups (expected 2)`,
        'deploy the current CDK app',
      );
    }
    const listeners = await listenersOf(clients, loadBalancerArn);
    const ports = [
      { port: 443, role: 'production' },
      { port: environment.config.loadBalancer.testListenerPort, role: 'test' },
    ];
    const seen: string[] = [];
    const problems: string[] = [];
    for (const { port, role } of ports) {
      const listener = listeners.find((l) => l.Port === port);
      if (!listener?.ListenerArn) {
        problems.push(`no ${role} listener on port ${port}`);
        continue;
      }
      const rule = await ruleAt(clients, listener.ListenerArn, TRAFFIC_RULE_PRIORITY);
      if (!rule) {
        problems.push(`${role} ${port} has no rule at priority ${TRAFFIC_RULE_PRIORITY}`);
        continue;
      }
      const targets = forwardedTo((rule.Actions ?? []).find((a) => a.Type === 'forward'));
      const shown = targets.map((t) => `${groupName(t.arn)} (${t.weight})`).join(' + ');
      const where = `${role} ${port} rule ${TRAFFIC_RULE_PRIORITY}`;
      if (targets.length !== 1) {
        problems.push(`${where} forwards to ${targets.length === 0 ? 'no target group' : shown}`);
      } else if (!ours.includes(targets[0]!.arn)) {
        problems.push(`${where} forwards to ${shown}, not the stack's blue or green group`);
      } else {
        seen.push(`${port} rule ${TRAFFIC_RULE_PRIORITY} → ${groupName(targets[0]!.arn)}`);
      }
    }
    if (problems.length > 0) {
      return fail(
        problems.join('; '),
        'a split means a service deployment is shifting traffic or stopped half-way: let it finish, ' +
          'or roll it back (aws ecs stop-service-deployment --stop-type ROLLBACK); a foreign group means ' +
          'the rule was edited by hand: set it back to blue or green (aws elbv2 modify-rule); a missing ' +
          'rule: deploy the app stack to recreate it. ' +
          'The next cdk deploy is refused until then.',
      );
    }
    return pass(seen.join(', '));
  },
};
