import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { physicalIds } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/** Route 53 answers names with a trailing dot, alias DNS names sometimes with `dualstack.`. */
function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^dualstack\./, '');
}

/**
 * The site's A record is an alias of the load balancer.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-to-elb-load-balancer.html
 */
export const dnsCheck: Check = {
  id: 'dns-alias',
  title: 'DNS alias points at the load balancer',
  async run({ clients, app, environment }) {
    const { domainName, hostedZoneId } = environment.config.site;
    const [loadBalancerArn] = physicalIds(app, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    if (!loadBalancerArn) {
      return fail(`stack ${app.name} has no load balancer`, 'deploy the current CDK app');
    }
    const { LoadBalancers } = await clients.elbv2.send(
      new DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }),
    );
    const loadBalancer = LoadBalancers?.[0];
    const { ResourceRecordSets } = await clients.route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: hostedZoneId,
        StartRecordName: domainName,
        StartRecordType: 'A',
        MaxItems: 1,
      }),
    );
    const record = (ResourceRecordSets ?? []).find(
      (r) => normalizeName(r.Name ?? '') === domainName && r.Type === 'A',
    );
    if (!record) {
      return fail(
        `no A record for ${domainName} in hosted zone ${hostedZoneId}`,
        `deploy the app stack (it creates the alias); check that site.hostedZoneId is the zone of ${environment.config.site.hostedZoneName}`,
      );
    }
    const target = record.AliasTarget;
    const expected = normalizeName(loadBalancer?.DNSName ?? '');
    if (!target) {
      return fail(
        `${domainName} is a plain A record (${(record.ResourceRecords ?? []).map((r) => r.Value).join(', ')}), not an alias`,
        `delete it and deploy the app stack again, which writes an alias to ${expected}`,
      );
    }
    if (normalizeName(target.DNSName ?? '') !== expected) {
      return fail(
        `${domainName} is an alias of ${target.DNSName}, not of the load balancer ${expected}`,
        'another record took the name: remove it and deploy the app stack again',
      );
    }
    if (target.HostedZoneId !== loadBalancer?.CanonicalHostedZoneId) {
      return fail(
        `${domainName}'s alias names zone ${target.HostedZoneId}, the load balancer's is ${loadBalancer?.CanonicalHostedZoneId}`,
        'deploy the app stack again to rewrite the alias',
      );
    }
    return pass(`${domainName} → ${expected}`);
  },
};
