import {
  DeregisterTaskDefinitionCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import type { EcsRelease } from './release-files.js';

/**
 * The tag each revision the program registers carries: the sha256 of the
 * release's taskdef.json. A retried action finds it on the service's
 * current revision and follows that deployment instead of starting another.
 */
export const RELEASE_TAG_KEY = 'webapp-color:release-sha256';

/** The statuses at which a service deployment has ended (ServiceDeployment.status). */
const TERMINAL: readonly ServiceDeploymentStatus[] = [
  'SUCCESSFUL',
  'STOPPED',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
];

export interface ShipOptions {
  readonly ecs: ECSClient;
  readonly cluster: string;
  readonly service: string;
  readonly release: EcsRelease;
  /** Between two reads of the deployment. @default 15000 */
  readonly pollIntervalMs?: number;
  /** Reads of ListServiceDeployments before giving up finding the deployment. @default 20 */
  readonly findAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

export interface ShipResult {
  readonly taskDefinitionArn: string;
  /** Whether this run registered and deployed the revision (false: it followed one already there). */
  readonly started: boolean;
  /** The service deployment followed, when ECS lists one. */
  readonly deployment?: { readonly arn: string; readonly status: string };
}

/** A release that did not ship: what failed, and why, in words the pipeline shows. */
export class ShipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShipError';
  }
}

/**
 * Ships a release to a service on the ECS deployment controller:
 * RegisterTaskDefinition with the release's taskdef.json (tagged with its
 * sha256), UpdateService to the new revision (ECS then runs its own
 * blue/green: hooks, strategy, bake time, alarms), then follows the service
 * deployment to its end. Resolves on SUCCESSFUL; throws ShipError on
 * STOPPED, ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED, naming the deployment,
 * its status and its reason, after deregistering the release's revision
 * if the service no longer names it.
 *
 * Idempotent: when the service's current revision carries this release's
 * tag (a retried action), nothing is registered or updated; the deployment
 * of that revision is followed.
 */
export async function ship(options: ShipOptions): Promise<ShipResult> {
  const { ecs, cluster, service, release } = options;
  const log = options.log ?? (() => undefined);
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const pollIntervalMs = options.pollIntervalMs ?? 15_000;

  const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const current = described.services?.[0];
  if (!current || current.status !== 'ACTIVE') {
    const reason = described.failures?.[0]?.reason ?? current?.status ?? 'not found';
    throw new ShipError(`service ${service} in cluster ${cluster}: ${reason}; nothing was changed`);
  }
  const controller = current.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') {
    throw new ShipError(
      `service ${service} uses the ${controller} deployment controller; this program ships to ECS's own blue/green only (an environment with deployment.controller 'codedeploy' deploys with CodeDeployToECS)`,
    );
  }

  let taskDefinitionArn: string | undefined;
  let started = false;
  if (current.taskDefinition) {
    const running = await ecs.send(
      new DescribeTaskDefinitionCommand({
        taskDefinition: current.taskDefinition,
        include: ['TAGS'],
      }),
    );
    const tag = running.tags?.find((candidate) => candidate.key === RELEASE_TAG_KEY);
    if (tag?.value === release.sha256) {
      taskDefinitionArn = current.taskDefinition;
      log(
        `the service already names ${taskDefinitionArn}, this release's revision (sha256 ${release.sha256}): following its deployment instead of starting another`,
      );
    }
  }

  if (taskDefinitionArn === undefined) {
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        ...(release.taskDefinition as unknown as RegisterTaskDefinitionCommandInput),
        tags: [{ key: RELEASE_TAG_KEY, value: release.sha256 }],
      }),
    );
    const arn = registered.taskDefinition?.taskDefinitionArn;
    if (!arn) throw new ShipError('RegisterTaskDefinition answered without a taskDefinitionArn');
    taskDefinitionArn = arn;
    log(`registered ${arn}`);
    await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: arn }));
    started = true;
    log(`service ${service} now names ${arn}; ECS deploys it (blue/green)`);
  }

  const deploymentArn = await findDeployment(options, taskDefinitionArn, sleep);
  if (deploymentArn === undefined) {
    if (started) {
      throw new ShipError(
        `ECS lists no service deployment of ${taskDefinitionArn} for service ${service} after UpdateService; see the service's events`,
      );
    }
    log(`no service deployment of ${taskDefinitionArn} is listed: the service already runs it`);
    return { taskDefinitionArn, started };
  }

  let last: string | undefined;
  const announcedPauses = new Set<string>();
  for (;;) {
    const answer = await ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [deploymentArn] }),
    );
    const deployment = answer.serviceDeployments?.[0];
    if (!deployment) {
      const reason = answer.failures?.[0]?.reason ?? 'not found';
      throw new ShipError(`service deployment ${deploymentArn}: ${reason}`);
    }
    const line = `${deployment.status ?? 'UNKNOWN'}${deployment.lifecycleStage ? ` (${deployment.lifecycleStage})` : ''}`;
    if (line !== last) log(`${deploymentArn}: ${line}`);
    last = line;
    // A PAUSE lifecycle hook (deployment.pause in the infra config): ECS
    // waits for ContinueServiceDeployment with its hookId; so does this
    // program, which keeps following the deployment whatever is decided.
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/pause-lifecycle-hooks.html
    for (const hook of deployment.lifecycleHookDetails ?? []) {
      if (hook.targetType !== 'PAUSE' || hook.status !== 'AWAITING_ACTION' || !hook.hookId)
        continue;
      if (announcedPauses.has(hook.hookId)) continue;
      announcedPauses.add(hook.hookId);
      log(
        `${deploymentArn}: paused; waiting for ContinueServiceDeployment (hookId ${hook.hookId}, action CONTINUE or ROLLBACK)${hook.expiresAt ? `; at ${hook.expiresAt.toISOString()} ECS takes ${hook.timeoutAction ?? 'ROLLBACK'}` : ''}`,
      );
    }
    if (deployment.status && TERMINAL.includes(deployment.status)) {
      if (deployment.status === 'SUCCESSFUL') {
        return {
          taskDefinitionArn,
          started,
          deployment: { arn: deploymentArn, status: 'SUCCESSFUL' },
        };
      }
      const message = failureMessage(deploymentArn, deployment);
      await retire(options, taskDefinitionArn, log);
      throw new ShipError(message);
    }
    await sleep(pollIntervalMs);
  }
}

/**
 * After a failed deployment, deregisters the release's revision once the
 * service no longer names it (ECS rolled it back): the service names its
 * task definition by family, and a later stack update would otherwise
 * resolve the family to this newest revision and deploy the failed release.
 */
async function retire(
  options: ShipOptions,
  taskDefinitionArn: string,
  log: (line: string) => void,
): Promise<void> {
  const { ecs, cluster, service } = options;
  const described = await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }));
  const now = described.services?.[0]?.taskDefinition;
  if (now === undefined || now === taskDefinitionArn) {
    log(`the service still names ${taskDefinitionArn}: it stays registered`);
    return;
  }
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
  log(`deregistered ${taskDefinitionArn}; the service runs ${now} again`);
}

function failureMessage(arn: string, deployment: ServiceDeployment): string {
  const reason = deployment.statusReason ?? deployment.rollback?.reason ?? 'no reason given';
  const restored =
    deployment.status === 'ROLLBACK_SUCCESSFUL'
      ? ` ECS rolled the service back to ${deployment.rollback?.serviceRevisionArn ?? 'its source revision'}; production serves what it served before.`
      : deployment.status === 'ROLLBACK_FAILED'
        ? ' The rollback failed too: look at the service now.'
        : '';
  return `service deployment ${arn} ended ${deployment.status}: ${reason}.${restored}`;
}

/**
 * The newest service deployment whose target revision runs the task
 * definition (ListServiceDeployments, then DescribeServiceRevisions for the
 * revisions' task definitions). ECS may list a deployment a moment after
 * UpdateService, so the list is read again a few times.
 */
async function findDeployment(
  options: ShipOptions,
  taskDefinitionArn: string,
  sleep: (ms: number) => Promise<void>,
): Promise<string | undefined> {
  const { ecs, cluster, service } = options;
  const attempts = options.findAttempts ?? 20;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const listed = await ecs.send(new ListServiceDeploymentsCommand({ cluster, service }));
    const deployments = [...(listed.serviceDeployments ?? [])].sort(
      (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
    );
    const revisionArns = [
      ...new Set(deployments.flatMap((deployment) => deployment.targetServiceRevisionArn ?? [])),
    ];
    if (revisionArns.length > 0) {
      const revisions = await ecs.send(
        new DescribeServiceRevisionsCommand({ serviceRevisionArns: revisionArns.slice(0, 20) }),
      );
      const ours = new Set(
        (revisions.serviceRevisions ?? [])
          .filter((revision) => revision.taskDefinition === taskDefinitionArn)
          .flatMap((revision) => revision.serviceRevisionArn ?? []),
      );
      const found = deployments.find(
        (deployment) =>
          deployment.targetServiceRevisionArn !== undefined &&
          ours.has(deployment.targetServiceRevisionArn),
      );
      if (found?.serviceDeploymentArn) return found.serviceDeploymentArn;
    }
    if (attempt < attempts) await sleep(options.pollIntervalMs ?? 15_000);
  }
  return undefined;
}
