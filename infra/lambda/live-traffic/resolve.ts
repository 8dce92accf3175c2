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

export interface LiveTargetGroups {
  readonly productionTargetGroupArn: string;
  readonly testTargetGroupArn: string;
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
    const page = await clients.codedeploy.send(
      new ListDeploymentsCommand({
        applicationName,
        deploymentGroupName: group,
        includeOnlyStatuses: UNFINISHED_DEPLOYMENT_STATUSES,
      }),
    );
    for (const deploymentId of page.deployments ?? []) found.push({ group, deploymentId });
  }
  return found;
}

/** The one target group a listener's default action forwards all traffic to. */
function forwardedTargetGroup(listener: Listener, input: LiveTrafficInput): string {
  const forward = (listener.DefaultActions ?? []).find(
    (action: Action) => action.Type === 'forward',
  );
  const weighted = (forward?.ForwardConfig?.TargetGroups ?? []).filter(
    (group) => (group.Weight ?? 1) > 0,
  );
  const targets = forward?.TargetGroupArn
    ? [forward.TargetGroupArn]
    : weighted.flatMap((group) => (group.TargetGroupArn ? [group.TargetGroupArn] : []));
  if (targets.length !== 1) {
    throw new DeployRefused(
      `listener ${listener.ListenerArn} on port ${listener.Port} forwards to ${targets.length === 0 ? 'no target group' : targets.join(' and ')}: ` +
        'a deploy would pick one of them and move traffic; finish or roll back the traffic shift first',
    );
  }
  const [target] = targets as [string];
  if (target !== input.blueTargetGroupArn && target !== input.greenTargetGroupArn) {
    throw new DeployRefused(
      `listener ${listener.ListenerArn} on port ${listener.Port} forwards to ${target}, which is neither the blue nor the green target group of this stack`,
    );
  }
  return target;
}

/**
 * Refuse while a deployment is unfinished; otherwise answer the target
 * group each listener forwards to now, or the template's initial choice
 * when the listeners do not exist yet (first deploy).
 */
export async function resolveLiveTargetGroups(
  input: LiveTrafficInput,
  clients: LiveTrafficClients,
): Promise<LiveTargetGroups> {
  const running = await unfinishedDeployments(clients, input.applicationName);
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
  const onPort = (port: number) => listeners.find((listener) => listener.Port === port);
  const production = onPort(input.productionPort);
  const test = onPort(input.testPort);
  return {
    productionTargetGroupArn: production
      ? forwardedTargetGroup(production, input)
      : input.blueTargetGroupArn,
    testTargetGroupArn: test ? forwardedTargetGroup(test, input) : input.greenTargetGroupArn,
  };
}
