import {
  DescribeServiceDeploymentsCommand,
  ListServiceDeploymentsCommand,
  DescribeServicesCommand,
  ListServicesCommand,
  type ECSClient,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DeployRefused,
  weightedTargets,
  type LiveTargetGroups,
  type ListenerTargets,
  type ResolveOptions,
} from '../live-traffic/resolve.js';

/**
 * The listener-rule counterpart of resolve.ts, for a service under the ECS
 * deployment controller: ECS shifts traffic by rewriting one rule on each
 * listener (never a default action), and any stack update that touches a
 * rule writes the template's target group back (aws/aws-cdk#36649). Before
 * a deploy touches them: refuse while a service deployment of the cluster
 * is unfinished, else answer where each rule forwards now, which the rules
 * of the template then say.
 */

export interface LiveRulesInput {
  readonly loadBalancerArn: string;
  readonly productionPort: number;
  readonly testPort: number;
  /** Where both rules forward before the first release (the template's own choice). */
  readonly blueTargetGroupArn: string;
  readonly greenTargetGroupArn: string;
  /** The cluster whose service deployments move the rules. */
  readonly clusterArn: string;
  /** The priority of the traffic rule on each listener (lib/constructs/edge.ts). */
  readonly rulePriority: number;
}

export interface LiveRulesClients {
  readonly ecs: ECSClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
}

/**
 * Statuses of a service deployment that has not ended (ECS API reference,
 * ServiceDeployment.status): the rest (SUCCESSFUL, STOPPED,
 * ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED) are final.
 */
export const UNFINISHED_SERVICE_DEPLOYMENT_STATUSES: ServiceDeploymentStatus[] = [
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
];

/** DescribeServiceDeployments takes at most 20 ARNs a call (API reference). */
const DESCRIBE_BATCH = 20;

async function unfinishedServiceDeployments(
  clients: LiveRulesClients,
  cluster: string,
): Promise<ServiceDeployment[]> {
  const services: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.ecs.send(new ListServicesCommand({ cluster, nextToken }));
    services.push(...(page.serviceArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const arns: string[] = [];
  for (const service of services) {
    let token: string | undefined;
    do {
      const page = await clients.ecs.send(
        new ListServiceDeploymentsCommand({
          cluster,
          service,
          status: UNFINISHED_SERVICE_DEPLOYMENT_STATUSES,
          nextToken: token,
        }),
      );
      for (const brief of page.serviceDeployments ?? []) {
        if (brief.serviceDeploymentArn) arns.push(brief.serviceDeploymentArn);
      }
      token = page.nextToken;
    } while (token);
  }
  const found: ServiceDeployment[] = [];
  for (let start = 0; start < arns.length; start += DESCRIBE_BATCH) {
    const batch = arns.slice(start, start + DESCRIBE_BATCH);
    const page = await clients.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }),
    );
    const described = page.serviceDeployments ?? [];
    found.push(...described);
    // A deployment that ended between the two calls is described as final,
    // one that cannot be described (a failure) still counts: refusing is safe.
    for (const arn of batch) {
      if (!described.some((d) => d.serviceDeploymentArn === arn)) {
        found.push({ serviceDeploymentArn: arn });
      }
    }
  }
  return found.filter(
    (deployment) =>
      deployment.status === undefined ||
      UNFINISHED_SERVICE_DEPLOYMENT_STATUSES.includes(deployment.status),
  );
}

function describeDeployment(deployment: ServiceDeployment): string {
  const details = [
    deployment.status,
    deployment.lifecycleStage && `stage ${deployment.lifecycleStage}`,
    deployment.targetServiceRevision?.arn && `to ${deployment.targetServiceRevision.arn}`,
  ].filter(Boolean);
  return `${deployment.serviceDeploymentArn ?? '(no ARN)'}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
}

async function listenersOf(
  clients: LiveRulesClients,
  loadBalancerArn: string,
): Promise<Listener[]> {
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

async function ruleAt(
  clients: LiveRulesClients,
  listenerArn: string,
  priority: number,
): Promise<Rule | undefined> {
  let marker: string | undefined;
  do {
    const page = await clients.elbv2.send(
      new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }),
    );
    // Priority is a string in the answer ("1"…"50000", or "default").
    const rule = (page.Rules ?? []).find((r) => r.Priority === String(priority));
    if (rule) return rule;
    marker = page.NextMarker;
  } while (marker);
  return undefined;
}

function ruleTargets(
  rule: Rule,
  listener: Listener,
  input: LiveRulesInput,
  options: ResolveOptions,
): ListenerTargets {
  const ours = [input.blueTargetGroupArn, input.greenTargetGroupArn];
  const targets = weightedTargets((rule.Actions ?? []).find((action) => action.Type === 'forward'));
  const idleOf = (live: string): ListenerTargets => ({
    live,
    idle: live === input.blueTargetGroupArn ? input.greenTargetGroupArn : input.blueTargetGroupArn,
  });
  const where = `rule ${rule.RuleArn} (priority ${rule.Priority}) of the listener on port ${listener.Port}`;
  if (options.rollbackReplay) {
    const heaviest = targets.find((target) => ours.includes(target.arn));
    return idleOf(heaviest?.arn ?? input.blueTargetGroupArn);
  }
  if (targets.length !== 1) {
    throw new DeployRefused(
      `${where} forwards to ${targets.length === 0 ? 'no target group' : targets.map((t) => `${t.arn} (weight ${t.weight})`).join(' and ')}: ` +
        'a deploy would pick one of them and move traffic; finish or roll back the service deployment first',
    );
  }
  const target = targets[0]!.arn;
  if (!ours.includes(target)) {
    throw new DeployRefused(
      `${where} forwards to ${target}, which is neither the blue nor the green target group of this stack`,
    );
  }
  return idleOf(target);
}

/**
 * Refuse while a service deployment of the cluster is unfinished;
 * otherwise answer the target group each traffic rule forwards all its
 * traffic to now, or the template's initial choice (both on blue) where a
 * listener or its rule does not exist yet.
 */
export async function resolveLiveRules(
  input: LiveRulesInput,
  clients: LiveRulesClients,
  options: ResolveOptions = {},
): Promise<LiveTargetGroups> {
  if (!options.rollbackReplay) {
    const running = await unfinishedServiceDeployments(clients, input.clusterArn);
    if (running.length > 0) {
      throw new DeployRefused(
        `service deployment ${running.map(describeDeployment).join(', ')} has not finished: ` +
          'an infrastructure deploy now could move the listener rules under it, or start a deployment of its own. ' +
          'Wait for it to end (or stop it), then deploy again.',
      );
    }
  }
  const initial: ListenerTargets = {
    live: input.blueTargetGroupArn,
    idle: input.greenTargetGroupArn,
  };
  const listeners = await listenersOf(clients, input.loadBalancerArn);
  const resolve = async (port: number): Promise<ListenerTargets> => {
    const listener = listeners.find((l) => l.Port === port);
    if (!listener?.ListenerArn) return initial;
    const rule = await ruleAt(clients, listener.ListenerArn, input.rulePriority);
    return rule ? ruleTargets(rule, listener, input, options) : initial;
  };
  return {
    production: await resolve(input.productionPort),
    test: await resolve(input.testPort),
  };
}

/** DescribeServices takes at most 10 services a call (API reference). */
const DESCRIBE_SERVICES_BATCH = 10;

/**
 * The task definition the cluster's service runs now (DescribeServices'
 * `taskDefinition`, the revision ARN), which the service's template then
 * names: a stack update never moves the service off the revision a release
 * put it on, even after the bootstrap task definition was replaced. Before
 * the service exists (first deploy), the bootstrap revision.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
 */
export async function liveTaskDefinition(
  clusterArn: string,
  bootstrapTaskDefinitionArn: string,
  clients: LiveRulesClients,
): Promise<string> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.ecs.send(
      new ListServicesCommand({ cluster: clusterArn, nextToken }),
    );
    arns.push(...(page.serviceArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const running: { arn: string; taskDefinition: string }[] = [];
  for (let start = 0; start < arns.length; start += DESCRIBE_SERVICES_BATCH) {
    const page = await clients.ecs.send(
      new DescribeServicesCommand({
        cluster: clusterArn,
        services: arns.slice(start, start + DESCRIBE_SERVICES_BATCH),
      }),
    );
    for (const service of page.services ?? []) {
      if (service.status === 'ACTIVE' && service.serviceArn && service.taskDefinition) {
        running.push({ arn: service.serviceArn, taskDefinition: service.taskDefinition });
      }
    }
  }
  if (running.length === 0) return bootstrapTaskDefinitionArn;
  if (running.length > 1) {
    throw new DeployRefused(
      `cluster ${clusterArn} runs ${running.length} services (${running.map((service) => service.arn).join(', ')}); ` +
        'the stack expects its one service there and cannot tell which task definition to keep',
    );
  }
  return running[0]!.taskDefinition;
}
