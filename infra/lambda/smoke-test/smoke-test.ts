/**
 * The AfterAllowTestTraffic check, free of AWS SDK and Lambda types so it
 * can be tested with fakes: find what the release should report as its
 * version, call the test listener's health, page and version routes on
 * every load-balancer node, and always report the outcome to CodeDeploy.
 */

export type HookStatus = 'Succeeded' | 'Failed';

export interface HookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

export interface SmokeTestSettings {
  /** Test listener port on the load balancer. */
  readonly testPort: number;
  /** Host header sent with each request (the site's name). */
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
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** Everything the check needs from the outside world. */
export interface SmokeTestPorts {
  /** The AppSpec content of the deployment (YAML or JSON), if any. */
  getAppSpecContent(deploymentId: string): Promise<string | undefined>;
  /** The environment of one container of a task definition. */
  getContainerEnvironment(
    taskDefinitionArn: string,
    containerName: string,
  ): Promise<Record<string, string>>;
  /** Private IP addresses of the load balancer's nodes (inside the VPC). */
  getLoadBalancerAddresses(): Promise<string[]>;
  httpGet(url: string, host: string, timeoutMs: number): Promise<HttpResponse>;
  reportStatus(deploymentId: string, hookExecutionId: string, status: HookStatus): Promise<void>;
  sleep(ms: number): Promise<void>;
  now(): number;
  log(message: string): void;
}

export interface SmokeTestResult {
  readonly status: HookStatus;
  readonly messages: readonly string[];
}

/** The task-definition ARN named by an ECS AppSpec (YAML or JSON). */
export function taskDefinitionFromAppSpec(content: string): string | undefined {
  const match = /["']?TaskDefinition["']?\s*:\s*["']?(arn:aws[a-z-]*:ecs:[^"'\s,}]+)/.exec(content);
  return match?.[1];
}

class CheckFailed extends Error {}

async function expectedVersion(
  event: HookEvent,
  settings: SmokeTestSettings,
  ports: SmokeTestPorts,
): Promise<string | undefined> {
  const appSpec = await ports.getAppSpecContent(event.DeploymentId);
  const taskDefinitionArn = appSpec === undefined ? undefined : taskDefinitionFromAppSpec(appSpec);
  if (taskDefinitionArn === undefined) {
    if (settings.requireVersion)
      throw new CheckFailed('the deployment names no task definition in its AppSpec');
    return undefined;
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
  return version === '' ? undefined : version;
}

async function getUntil(
  url: string,
  accept: (response: HttpResponse) => string | undefined,
  settings: SmokeTestSettings,
  ports: SmokeTestPorts,
  deadline: number,
): Promise<void> {
  let attempt = 0;
  let lastProblem = 'no attempt made';
  while (attempt === 0 || ports.now() < deadline) {
    attempt += 1;
    try {
      const response = await ports.httpGet(url, settings.host, settings.requestTimeoutMs);
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
    if (ports.now() + settings.retryDelayMs >= deadline) break;
    await ports.sleep(settings.retryDelayMs);
  }
  throw new CheckFailed(`${url}: ${lastProblem} after ${attempt} attempt(s)`);
}

const okStatus = (response: HttpResponse) =>
  response.status === 200 ? undefined : `HTTP ${response.status}`;

/** Run the checks and report to CodeDeploy; reporting happens whatever the outcome. */
export async function runSmokeTest(
  event: HookEvent,
  settings: SmokeTestSettings,
  ports: SmokeTestPorts,
): Promise<SmokeTestResult> {
  const messages: string[] = [];
  let status: HookStatus = 'Failed';
  try {
    if (!event.DeploymentId || !event.LifecycleEventHookExecutionId) {
      throw new CheckFailed('the event has no DeploymentId or LifecycleEventHookExecutionId');
    }
    const deadline = ports.now() + settings.budgetMs;
    const version = await expectedVersion(event, settings, ports);
    messages.push(version === undefined ? 'no version to compare' : `expecting version ${version}`);
    const addresses = await ports.getLoadBalancerAddresses();
    if (addresses.length === 0) throw new CheckFailed('the load balancer has no private addresses');
    for (const address of addresses) {
      const base = `http://${address}:${settings.testPort}`;
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
          (r) =>
            okStatus(r) ??
            (r.body.includes(version)
              ? undefined
              : `version is not ${version}: ${r.body.slice(0, 200)}`),
          settings,
          ports,
          deadline,
        );
      }
      messages.push(`${address}: healthy`);
    }
    status = 'Succeeded';
  } catch (error) {
    messages.push(`failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    for (const message of messages) ports.log(message);
    if (event.DeploymentId && event.LifecycleEventHookExecutionId) {
      await ports.reportStatus(event.DeploymentId, event.LifecycleEventHookExecutionId, status);
    }
  }
  return { status, messages };
}
