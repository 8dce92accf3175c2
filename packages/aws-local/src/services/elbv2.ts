import type { Listener, LoadBalancer, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { queryList, type AwsQueryOperation } from '../protocols/aws-query.js';
import { AwsServiceError } from '../protocols/errors.js';
import { page, pageSize } from '../protocols/paging.js';
import type { AwsWorld, WorldLoadBalancer } from '../world.js';

/**
 * Elastic Load Balancing v2 (awsQuery, Version 2015-12-01). Shapes from
 * the SDK's `LoadBalancer` and `Listener` and the API reference:
 * - DescribeLoadBalancers: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeLoadBalancers.html
 * - DescribeListeners: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeListeners.html
 *   A listener CodeDeploy has shifted keeps both target groups in
 *   `ForwardConfig.TargetGroups` with their weights and no top-level
 *   `TargetGroupArn`; one CloudFormation wrote with a single group has both.
 * - DescribeRules: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeRules.html
 *   A listener's rules in priority order, its default rule last (Priority
 *   "default", IsDefault true, no conditions, the listener's default
 *   actions): Priority is a string. A rule ECS has shifted keeps both
 *   target groups in `ForwardConfig` with their weights. An unknown
 *   listener is `ListenerNotFound`.
 * An unknown load balancer is `LoadBalancerNotFound` (the SDK's
 * LoadBalancerNotFoundException); pages hold up to 400 (PageSize).
 */

export const ELBV2_VERSION = '2015-12-01';
export const ELBV2_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

function findLoadBalancer(world: AwsWorld, arn: string): WorldLoadBalancer {
  const found = (world.loadBalancers ?? []).find((lb) => lb.loadBalancerArn === arn);
  if (!found) {
    throw new AwsServiceError('LoadBalancerNotFound', `One or more load balancers not found`);
  }
  return found;
}

/** A listener's rules as DescribeRules lists them: by priority, then its default rule. */
function rulesOf(lb: WorldLoadBalancer, listener: Listener): Rule[] {
  const listenerArn = listener.ListenerArn ?? '';
  const own = [...(lb.rules?.[listenerArn] ?? [])].sort(
    (a, b) => Number(a.Priority) - Number(b.Priority),
  );
  const defaultRule: Rule = {
    RuleArn: `${listenerArn.replace(':listener/', ':listener-rule/')}/default`,
    Priority: 'default',
    Conditions: [],
    Actions: listener.DefaultActions ?? [],
    IsDefault: true,
  };
  return [...own.map((r) => ({ IsDefault: false, ...r })), defaultRule];
}

const CREATED = new Date('2026-01-05T09:05:00.000Z');

export function elbv2Operations(world: AwsWorld): Record<string, AwsQueryOperation> {
  return {
    DescribeLoadBalancers(form) {
      const arns = queryList(form, 'LoadBalancerArns');
      const selected =
        arns.length > 0
          ? arns.map((arn) => findLoadBalancer(world, arn))
          : (world.loadBalancers ?? []);
      const described: LoadBalancer[] = selected.map((lb) => ({
        LoadBalancerArn: lb.loadBalancerArn,
        DNSName: lb.dnsName,
        CanonicalHostedZoneId: lb.canonicalHostedZoneId ?? 'Z3AADJGX6KTTL2',
        CreatedTime: CREATED,
        LoadBalancerName: lb.loadBalancerArn.split('/').at(-2),
        Scheme: 'internet-facing',
        VpcId: 'vpc-0123456789abcdef0',
        State: { Code: lb.state ?? 'active' },
        Type: 'application',
        AvailabilityZones: [
          { ZoneName: 'us-east-2a', SubnetId: 'subnet-0a' },
          { ZoneName: 'us-east-2b', SubnetId: 'subnet-0b' },
        ],
        SecurityGroups: ['sg-0123456789abcdef0'],
        IpAddressType: 'ipv4',
      }));
      const { items, next } = page(
        described,
        form.get('Marker'),
        pageSize(form.get('PageSize'), 400, 400, 'ValidationError'),
        'ValidationError',
      );
      return { LoadBalancers: items, NextMarker: next };
    },

    DescribeListeners(form) {
      const arn = form.get('LoadBalancerArn');
      const listenerArns = queryList(form, 'ListenerArns');
      if ((arn === null) === (listenerArns.length === 0)) {
        throw new AwsServiceError(
          'ValidationError',
          'Either a load balancer ARN or listener ARNs must be specified',
        );
      }
      let listeners: Listener[];
      if (arn !== null) {
        const lb = findLoadBalancer(world, arn);
        listeners = lb.listeners.map((l) => ({ ...l, LoadBalancerArn: lb.loadBalancerArn }));
      } else {
        const all = (world.loadBalancers ?? []).flatMap((lb) =>
          lb.listeners.map((l) => ({ ...l, LoadBalancerArn: lb.loadBalancerArn })),
        );
        listeners = listenerArns.map((wanted) => {
          const found = all.find((l) => l.ListenerArn === wanted);
          if (!found)
            throw new AwsServiceError('ListenerNotFound', 'One or more listeners not found');
          return found;
        });
      }
      const { items, next } = page(
        listeners,
        form.get('Marker'),
        pageSize(form.get('PageSize'), 400, 400, 'ValidationError'),
        'ValidationError',
      );
      return { Listeners: items, NextMarker: next };
    },

    DescribeRules(form) {
      const listenerArn = form.get('ListenerArn');
      const ruleArns = queryList(form, 'RuleArns');
      if ((listenerArn === null) === (ruleArns.length === 0)) {
        throw new AwsServiceError(
          'ValidationError',
          'Either a listener ARN or rule ARNs must be specified',
        );
      }
      const everyRule = (world.loadBalancers ?? []).flatMap((lb) =>
        lb.listeners.flatMap((l) => (l.ListenerArn ? rulesOf(lb, l) : [])),
      );
      let rules: Rule[];
      if (listenerArn !== null) {
        const lb = (world.loadBalancers ?? []).find((b) =>
          b.listeners.some((l) => l.ListenerArn === listenerArn),
        );
        const listener = lb?.listeners.find((l) => l.ListenerArn === listenerArn);
        if (!lb || !listener) {
          throw new AwsServiceError('ListenerNotFound', 'One or more listeners not found');
        }
        rules = rulesOf(lb, listener);
      } else {
        rules = ruleArns.map((wanted) => {
          const found = everyRule.find((r) => r.RuleArn === wanted);
          if (!found) throw new AwsServiceError('RuleNotFound', 'One or more rules not found');
          return found;
        });
      }
      const { items, next } = page(
        rules,
        form.get('Marker'),
        pageSize(form.get('PageSize'), 400, 400, 'ValidationError'),
        'ValidationError',
      );
      return { Rules: items, NextMarker: next };
    },
  };
}
