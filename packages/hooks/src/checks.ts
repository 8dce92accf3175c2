/**
 * The check both deployment hooks run, free of AWS SDK and Lambda types so
 * it can be tested with fakes: find the version the deployment releases,
 * call one listener's health, page and version routes on every
 * load-balancer node, and always report the outcome to CodeDeploy before
 * the deadline.
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

export interface CheckSettings {
  /** The lifecycle event this function serves, for the log. */
  readonly lifecycleEvent: 'AfterAllowTestTraffic' | 'AfterAllowTraffic';
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
  /** Overall budget for the checks, milliseconds. */
  readonly budgetMs: number;
  /** Timeout of one HTTP request, milliseconds. */
  readonly requestTimeoutMs: number;
  /** Pause between attempts, milliseconds. */
  readonly retryDelayMs: number;
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

/** Everything the check needs from the outside world. */
export interface CheckPorts {
  /** The AppSpec text of the deployment's revision (YAML or JSON), if any. */
  getAppSpecContent(deploymentId: string): Promise<string | undefined>;
  /** The environment of one container of a task definition. */
  getContainerEnvironment(
    taskDefinitionArn: string,
    containerName: string,
  ): Promise<Record<string, string>>;
  /** Private IP addresses of the load balancer's nodes (inside the VPC). */
  getLoadBalancerAddresses(): Promise<string[]>;
  httpGet(url: string, host: string, timeoutMs: number): Promise<HttpResponse>;
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
  sleep(ms: number): Promise<void>;
  now(): number;
  log(message: string): void;
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

class CheckFailed extends Error {}

interface Release {
  readonly taskDefinitionArn?: string;
  readonly version?: string;
}

async function expectedRelease(
  event: HookEvent,
  settings: CheckSettings,
  ports: CheckPorts,
): Promise<Release> {
  const appSpec = await ports.getAppSpecContent(event.DeploymentId);
  const taskDefinitionArn = appSpec === undefined ? undefined : taskDefinitionFromAppSpec(appSpec);
  if (taskDefinitionArn === undefined) {
    if (settings.requireVersion || settings.protectImage)
      throw new CheckFailed('the deployment names no task definition in its AppSpec');
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
  settings: CheckSettings,
  ports: CheckPorts,
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
  throw new CheckFailed(`${url}: ${lastProblem} after ${attempt} attempt(s)`);
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

async function checkEveryNode(
  event: HookEvent,
  settings: CheckSettings,
  ports: CheckPorts,
  deadline: number,
  messages: string[],
): Promise<void> {
  const { taskDefinitionArn, version } = await expectedRelease(event, settings, ports);
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
    await Promise.race([checkEveryNode(event, settings, ports, deadline, messages), overrun]);
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
