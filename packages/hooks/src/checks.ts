/**
 * The check every deployment hook runs, free of AWS SDK and Lambda types so
 * it can be tested with fakes: find the version a deployment releases
 * (releaseOf), call one listener's health, page and version routes on every
 * load-balancer node (checkEveryNode). runChecks is the CodeDeploy hook
 * around them: the release from the AppSpec, the outcome always reported
 * to CodeDeploy before the deadline. native-checks.ts is the ECS
 * controller's hook around the same two functions.
 */

export type HookStatus = 'Succeeded' | 'Failed';

export interface HookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

/** The listener a hook checks: the test listener, or production after traffic moved. */
export interface ListenerTarget {
  readonly protocol: 'http' | 'https';
  readonly port: number;
}

/** What checking one listener needs, on either deployment controller. */
export interface ListenerCheckSettings {
  readonly listener: ListenerTarget;
  /** Host header, and the TLS server name (SNI) on https (the site's name). */
  readonly host: string;
  readonly healthPath: string;
  readonly pagePath: string;
  readonly versionPath: string;
  /** The container whose environment carries the version. */
  readonly containerName: string;
  /** The environment variable holding the release's version. */
  readonly versionVariable: string;
  /** Fail when the release's task definition has no version variable. */
  readonly requireVersion: boolean;
  /** Timeout of one HTTP request, milliseconds. */
  readonly requestTimeoutMs: number;
  /** Pause between attempts, milliseconds. */
  readonly retryDelayMs: number;
}

export interface CheckSettings extends ListenerCheckSettings {
  /**
   * Which checks the function makes: the test listener before production
   * moves (AfterAllowTestTraffic), or production after (AfterAllowTraffic).
   * Under the ECS controller the same two kinds serve the stages in
   * NATIVE_HOOK_STAGES.
   */
  readonly lifecycleEvent: 'AfterAllowTestTraffic' | 'AfterAllowTraffic';
  /** Budget for the checks of one invocation, milliseconds. */
  readonly budgetMs: number;
  /**
   * Once production serves the release, move these tags onto its image (and
   * `previous` onto the image production served before this deployment), so
   * the lifecycle never expires either. @default no tagging
   */
  readonly protectImage?: { readonly liveTag: string; readonly previousTag: string };
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** What checking one listener needs from the outside world, on either controller. */
export interface ListenerCheckPorts {
  /** The environment of one container of a task definition. */
  getContainerEnvironment(
    taskDefinitionArn: string,
    containerName: string,
  ): Promise<Record<string, string>>;
  /** Private IP addresses of the load balancer's nodes (inside the VPC). */
  getLoadBalancerAddresses(): Promise<string[]>;
  httpGet(url: string, host: string, timeoutMs: number): Promise<HttpResponse>;
  sleep(ms: number): Promise<void>;
  now(): number;
  log(message: string): void;
}

/** Everything the CodeDeploy hook needs from the outside world. */
export interface CheckPorts extends ListenerCheckPorts {
  /** The AppSpec text of the deployment's revision (YAML or JSON), if any. */
  getAppSpecContent(deploymentId: string): Promise<string | undefined>;
  /**
   * Tag the image of a task definition's container as live, and the image
   * production served before this deployment as previous (see
   * CheckSettings.protectImage).
   */
  protectImage(
    deploymentId: string,
    taskDefinitionArn: string,
    containerName: string,
    tags: { readonly liveTag: string; readonly previousTag: string },
  ): Promise<string>;
  reportStatus(deploymentId: string, hookExecutionId: string, status: HookStatus): Promise<void>;
}

export interface CheckResult {
  readonly status: HookStatus;
  readonly messages: readonly string[];
}

/** The task-definition ARN named by an ECS AppSpec (YAML or JSON). */
export function taskDefinitionFromAppSpec(content: string): string | undefined {
  const match = /["']?TaskDefinition["']?\s*:\s*["']?(arn:aws[a-z-]*:ecs:[^"'\s,}]+)/.exec(content);
  return match?.[1];
}

/** A check that failed for good: another attempt would fail the same way. */
export class CheckFailed extends Error {}

/**
 * A check that had not passed when its time ran out: a later attempt may
 * pass (the ECS hook answers IN_PROGRESS while its deadline allows).
 */
export class CheckTimedOut extends CheckFailed {}

/** What a deployment releases: its task definition and the version it carries. */
export interface Release {
  readonly taskDefinitionArn?: string;
  readonly version?: string;
}

/**
 * The release a task definition makes: the version its container carries.
 * `source` says where the task definition came from, for the message when
 * there is none.
 */
export async function releaseOf(
  taskDefinitionArn: string | undefined,
  source: string,
  settings: ListenerCheckSettings & { readonly protectImage?: unknown },
  ports: Pick<ListenerCheckPorts, 'getContainerEnvironment'>,
): Promise<Release> {
  if (taskDefinitionArn === undefined) {
    if (settings.requireVersion || settings.protectImage)
      throw new CheckFailed(`${source} names no task definition`);
    return {};
  }
  const environment = await ports.getContainerEnvironment(
    taskDefinitionArn,
    settings.containerName,
  );
  const version = environment[settings.versionVariable];
  if ((version === undefined || version === '') && settings.requireVersion) {
    throw new CheckFailed(
      `${taskDefinitionArn} sets no ${settings.versionVariable} on container ${settings.containerName}`,
    );
  }
  return { taskDefinitionArn, ...(version === '' || version === undefined ? {} : { version }) };
}

async function getUntil(
  url: string,
  accept: (response: HttpResponse) => string | undefined,
  settings: ListenerCheckSettings,
  ports: ListenerCheckPorts,
  deadline: number,
): Promise<void> {
  let attempt = 0;
  let lastProblem = 'no attempt made';
  while (attempt === 0 || ports.now() < deadline) {
    attempt += 1;
    try {
      const timeout = Math.max(1, Math.min(settings.requestTimeoutMs, deadline - ports.now()));
      const response = await ports.httpGet(url, settings.host, timeout);
      const problem = accept(response);
      if (problem === undefined) {
        ports.log(`ok ${url} (attempt ${attempt})`);
        return;
      }
      lastProblem = problem;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    ports.log(`retry ${url} (attempt ${attempt}): ${lastProblem}`);
    // Stop while one more request still fits: the last problem, not the
    // overrun watchdog, should be what the hook reports.
    if (ports.now() + settings.retryDelayMs + settings.requestTimeoutMs >= deadline) break;
    await ports.sleep(settings.retryDelayMs);
  }
  throw new CheckTimedOut(`${url}: ${lastProblem} after ${attempt} attempt(s)`);
}

const okStatus = (response: HttpResponse) =>
  response.status === 200 ? undefined : `HTTP ${response.status}`;

/** The answer of the version route names the version: the plain text or `{"version": …}`. */
function servedVersion(body: string): string {
  const text = body.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && 'version' in parsed) {
      return String(parsed.version);
    }
  } catch {
    // Not JSON: the route answered the version as text.
  }
  return text;
}

/**
 * Health, page and (when the release names one) version on every node of
 * the load balancer, through one listener, retried until `deadline`; throws
 * CheckTimedOut with the last problem when a route has not passed by then.
 */
export async function checkEveryNode(
  release: Release,
  settings: ListenerCheckSettings,
  ports: ListenerCheckPorts,
  deadline: number,
  messages: string[],
): Promise<void> {
  const { version } = release;
  messages.push(version === undefined ? 'no version to compare' : `expecting version ${version}`);
  const addresses = await ports.getLoadBalancerAddresses();
  if (addresses.length === 0) throw new CheckFailed('the load balancer has no private addresses');
  const { protocol, port } = settings.listener;
  for (const address of addresses) {
    const base = `${protocol}://${address}:${port}`;
    await getUntil(`${base}${settings.healthPath}`, okStatus, settings, ports, deadline);
    await getUntil(
      `${base}${settings.pagePath}`,
      (r) => okStatus(r) ?? (r.body.trim() === '' ? 'empty page' : undefined),
      settings,
      ports,
      deadline,
    );
    if (version !== undefined) {
      await getUntil(
        `${base}${settings.versionPath}`,
        (r) => {
          const problem = okStatus(r);
          if (problem !== undefined) return problem;
          const served = servedVersion(r.body);
          return served === version
            ? undefined
            : `serves version ${served.slice(0, 80)}, not ${version}`;
        },
        settings,
        ports,
        deadline,
      );
    }
    messages.push(`${address}: healthy${version === undefined ? '' : `, serving ${version}`}`);
  }
}

async function checkDeployment(
  event: HookEvent,
  settings: CheckSettings,
  ports: CheckPorts,
  deadline: number,
  messages: string[],
): Promise<void> {
  const appSpec = await ports.getAppSpecContent(event.DeploymentId);
  const release = await releaseOf(
    appSpec === undefined ? undefined : taskDefinitionFromAppSpec(appSpec),
    'the deployment’s AppSpec',
    settings,
    ports,
  );
  await checkEveryNode(release, settings, ports, deadline, messages);
  const { taskDefinitionArn } = release;
  if (settings.protectImage && taskDefinitionArn !== undefined) {
    messages.push(
      await ports.protectImage(
        event.DeploymentId,
        taskDefinitionArn,
        settings.containerName,
        settings.protectImage,
      ),
    );
  }
}

/**
 * Run the checks and report to CodeDeploy. The report happens whatever the
 * checks do: when they throw, and when they have not finished by the
 * deadline (`budgetMs` from the start), so CodeDeploy never waits out its
 * hour for a hook that went silent.
 */
export async function runChecks(
  event: HookEvent,
  settings: CheckSettings,
  ports: CheckPorts,
): Promise<CheckResult> {
  const messages: string[] = [`${settings.lifecycleEvent} check`];
  let status: HookStatus = 'Failed';
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    if (!event.DeploymentId || !event.LifecycleEventHookExecutionId) {
      throw new CheckFailed('the event has no DeploymentId or LifecycleEventHookExecutionId');
    }
    const deadline = ports.now() + settings.budgetMs;
    const overrun = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CheckFailed(`the checks did not finish within ${settings.budgetMs} ms`)),
        settings.budgetMs,
      );
    });
    await Promise.race([checkDeployment(event, settings, ports, deadline, messages), overrun]);
    status = 'Succeeded';
  } catch (error) {
    messages.push(`failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
    for (const message of messages) ports.log(message);
    if (event.DeploymentId && event.LifecycleEventHookExecutionId) {
      await ports.reportStatus(event.DeploymentId, event.LifecycleEventHookExecutionId, status);
    }
  }
  return { status, messages };
}
