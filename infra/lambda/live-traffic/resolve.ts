import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import {
  ListDeploymentGroupsCommand,
  ListDeploymentsCommand,
  type DeploymentStatus,
} from '@aws-sdk/client-codedeploy';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  DescribeListenersCommand,
  type Action,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { ListenerTargets, LiveTargetGroups } from '../guard/answer.js';

export type { ListenerTargets, LiveTargetGroups } from '../guard/answer.js';

/**
 * What an infrastructure deploy must know before it touches the listeners:
 * which target group each one forwards to now (CodeDeploy moves them on
 * every release, the template cannot know), and that no CodeDeploy
 * deployment is moving them at this moment.
 */

export interface LiveTrafficInput {
  readonly loadBalancerArn: string;
  readonly productionPort: number;
  readonly testPort: number;
  /** Where production forwards before the first release (the template's own choice). */
  readonly blueTargetGroupArn: string;
  /** Where the test listener forwards before the first release. */
  readonly greenTargetGroupArn: string;
  /** The CodeDeploy application whose deployments move the listeners. */
  readonly applicationName: string;
}

export interface ResolveOptions {
  /**
   * CloudFormation's rollback replay (the Update it sends a custom resource
   * with the old properties when a stack update fails, aws-cdk#17040):
   * neither refuse nor fail on split traffic, answer what forwards now.
   * A throw here would leave the stack in UPDATE_ROLLBACK_FAILED.
   */
  readonly rollbackReplay?: boolean;
}

/** Statuses of a deployment that has not ended (API reference, DeploymentStatus). */
export const UNFINISHED_DEPLOYMENT_STATUSES: DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Ready',
];

export class DeployRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployRefused';
  }
}

export interface LiveTrafficClients {
  readonly codedeploy: CodeDeployClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
}

async function unfinishedDeployments(
  clients: LiveTrafficClients,
  applicationName: string,
): Promise<{ group: string; deploymentId: string }[]> {
  const groups: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.codedeploy.send(
      new ListDeploymentGroupsCommand({ applicationName, nextToken }),
    );
    groups.push(...(page.deploymentGroups ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const found: { group: string; deploymentId: string }[] = [];
  for (const group of groups) {
    let deploymentsToken: string | undefined;
    do {
      const page = await clients.codedeploy.send(
        new ListDeploymentsCommand({
          applicationName,
          deploymentGroupName: group,
          includeOnlyStatuses: UNFINISHED_DEPLOYMENT_STATUSES,
          nextToken: deploymentsToken,
        }),
      );
      for (const deploymentId of page.deployments ?? []) found.push({ group, deploymentId });
      deploymentsToken = page.nextToken;
    } while (deploymentsToken);
  }
  return found;
}

/** The target groups a forward action sends traffic to, heaviest first. */
export function weightedTargets(action: Action | undefined): { arn: string; weight: number }[] {
  if (!action) return [];
  const weighted = (action.ForwardConfig?.TargetGroups ?? []).flatMap((group) =>
    group.TargetGroupArn ? [{ arn: group.TargetGroupArn, weight: group.Weight ?? 1 }] : [],
  );
  // A forward action may carry the single target group at the top level,
  // with or without a ForwardConfig naming it too (API reference, Action).
  const targets =
    action.TargetGroupArn && !weighted.some((group) => group.arn === action.TargetGroupArn)
      ? [{ arn: action.TargetGroupArn, weight: 1 }, ...weighted]
      : weighted;
  return targets.filter((group) => group.weight > 0).sort((a, b) => b.weight - a.weight);
}

/**
 * The target group a listener's default action forwards all traffic to, and
 * the other of blue and green as its idle group.
 */
function listenerTargets(
  listener: Listener,
  input: LiveTrafficInput,
  initial: ListenerTargets,
  options: ResolveOptions,
): ListenerTargets {
  const ours = [input.blueTargetGroupArn, input.greenTargetGroupArn];
  const targets = weightedTargets(
    (listener.DefaultActions ?? []).find((action: Action) => action.Type === 'forward'),
  );
  const idleOf = (live: string): ListenerTargets => ({
    live,
    idle: live === input.blueTargetGroupArn ? input.greenTargetGroupArn : input.blueTargetGroupArn,
  });
  if (options.rollbackReplay) {
    // Answer what serves now (the heaviest of ours), never fail.
    const heaviest = targets.find((target) => ours.includes(target.arn));
    return heaviest ? idleOf(heaviest.arn) : initial;
  }
  if (targets.length !== 1) {
    throw new DeployRefused(
      `listener ${listener.ListenerArn} on port ${listener.Port} forwards to ${targets.length === 0 ? 'no target group' : targets.map((t) => `${t.arn} (weight ${t.weight})`).join(' and ')}: ` +
        'a deploy would pick one of them and move traffic; finish or roll back the traffic shift first',
    );
  }
  const target = targets[0]!.arn;
  if (!ours.includes(target)) {
    throw new DeployRefused(
      `listener ${listener.ListenerArn} on port ${listener.Port} forwards to ${target}, which is neither the blue nor the green target group of this stack`,
    );
  }
  return idleOf(target);
}

/**
 * Refuse while a deployment is unfinished; otherwise answer the target
 * groups each listener forwards to now, or the template's initial choice
 * when the listeners do not exist yet (first deploy: production on blue,
 * the test listener on green, each with the other group at weight 0).
 */
export async function resolveLiveTargetGroups(
  input: LiveTrafficInput,
  clients: LiveTrafficClients,
  options: ResolveOptions = {},
): Promise<LiveTargetGroups> {
  // The rollback replay restores what was there: no refusal (it could only
  // leave the stack in UPDATE_ROLLBACK_FAILED), so no need to look.
  const running = options.rollbackReplay
    ? []
    : await unfinishedDeployments(clients, input.applicationName);
  if (running.length > 0) {
    throw new DeployRefused(
      `CodeDeploy deployment ${running.map((r) => `${r.deploymentId} (${input.applicationName}/${r.group})`).join(', ')} has not finished: ` +
        'an infrastructure deploy now could move production traffic under it. Wait for it to end (or stop it), then deploy again.',
    );
  }
  const listeners: Listener[] = [];
  let marker: string | undefined;
  do {
    const page = await clients.elbv2.send(
      new DescribeListenersCommand({ LoadBalancerArn: input.loadBalancerArn, Marker: marker }),
    );
    listeners.push(...(page.Listeners ?? []));
    marker = page.NextMarker;
  } while (marker);
  const initial = {
    production: { live: input.blueTargetGroupArn, idle: input.greenTargetGroupArn },
    test: { live: input.greenTargetGroupArn, idle: input.blueTargetGroupArn },
  };
  const onPort = (port: number) => listeners.find((listener) => listener.Port === port);
  const production = onPort(input.productionPort);
  const test = onPort(input.testPort);
  return {
    production: production
      ? listenerTargets(production, input, initial.production, options)
      : initial.production,
    test: test ? listenerTargets(test, input, initial.test, options) : initial.test,
  };
}
