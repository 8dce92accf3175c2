import { DescribeListenersCommand, type Listener } from '@aws-sdk/client-elastic-load-balancing-v2';
import { physicalIds } from '../../stacks.js';
import { forwardedTo, groupName } from '../forwarding.js';
import { fail, pass, type Check } from '../check.js';

/**
 * The production and test listeners each forward all traffic to one of the
 * stack's two target groups: the shape the LiveTrafficGuard needs to let
 * the next `cdk deploy` through (a split, or a group that is not the
 * stack's, is refused).
 */
export const listenersCheck: Check = {
  id: 'listeners',
  title: 'listeners in the shape the live-traffic guard expects',
  controllers: ['codedeploy'],
  notApplicableBecause:
    "ECS moves the listener rules, not the listeners' default actions (see the listener-rules line)",
  async run({ clients, app, environment }) {
    const [loadBalancerArn] = physicalIds(app, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    const ours = physicalIds(app, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    if (!loadBalancerArn || ours.length !== 2) {
      return fail(
        `stack ${app.name} has ${loadBalancerArn ? 'a load balancer' : 'no load balancer'} and ${ours.length} target groups (expected 2)`,
        'deploy the current CDK app',
      );
    }
    const listeners: Listener[] = [];
    let marker: string | undefined;
    do {
      const page = await clients.elbv2.send(
        new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker }),
      );
      listeners.push(...(page.Listeners ?? []));
      marker = page.NextMarker;
    } while (marker);
    const ports = [
      { port: 443, role: 'production' },
      { port: environment.config.loadBalancer.testListenerPort, role: 'test' },
    ];
    const seen: string[] = [];
    const problems: string[] = [];
    for (const { port, role } of ports) {
      const listener = listeners.find((l) => l.Port === port);
      if (!listener) {
        problems.push(`no ${role} listener on port ${port}`);
        continue;
      }
      const targets = forwardedTo(
        (listener.DefaultActions ?? []).find((a) => a.Type === 'forward'),
      );
      const shown = targets.map((t) => `${groupName(t.arn)} (${t.weight})`).join(' + ');
      if (targets.length !== 1) {
        problems.push(
          `${role} ${port} forwards to ${targets.length === 0 ? 'no target group' : shown}`,
        );
      } else if (!ours.includes(targets[0]!.arn)) {
        problems.push(`${role} ${port} forwards to ${shown}, not the stack's blue or green group`);
      } else {
        seen.push(`${port} → ${groupName(targets[0]!.arn)}`);
      }
    }
    if (problems.length > 0) {
      return fail(
        problems.join('; '),
        'a split means a deployment is shifting traffic or stopped half-way: let it finish or ' +
          'stop it (aws deploy stop-deployment --auto-rollback-enabled); a foreign group means ' +
          'the listener was edited by hand: set its default action back to blue or green. ' +
          'The next cdk deploy is refused until then.',
      );
    }
    return pass(seen.join(', '));
  },
};
