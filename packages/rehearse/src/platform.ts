import { readFile } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { engineExec, removeContainersArgs, type ContainerEngine } from './engine.js';
import {
  failOpenTwin,
  FULL_WEIGHT,
  PRODUCTION_BACKEND,
  TEST_BACKEND,
  type HaproxyAdmin,
  type Http5xxCounts,
  type ProxyTarget,
  type TaskSetColor,
} from './haproxy.js';
import { realClock, type Clock } from './clock.js';
import type { TaskControl } from './faults.js';
import type { HookEventName, HookOutcome, ReleasePlatform } from './lifecycle.js';
import type { NativeHookInvocation, NativeHookResult } from './native-stages.js';
import type { LocalRelease } from './render.js';
import { soleContainer, taskRunArgs } from './task-run.js';

export interface LocalPlatformOptions {
  readonly engine: ContainerEngine;
  readonly admin: HaproxyAdmin;
  /** Every target, named by slot (the `blue-…` and `green-…` targets of the proxy). */
  readonly targets: readonly ProxyTarget[];
  /**
   * Which slot plays which part: `blue` is the original (live) task set,
   * `green` the replacement. A release on a kept environment swaps them, as
   * CodeDeploy alternates the two target groups.
   */
  readonly slots: Readonly<Record<TaskSetColor, TaskSetColor>>;
  /** The release each part runs, by part. */
  readonly releases: Readonly<Record<TaskSetColor, LocalRelease>>;
  /** Labels on every container (clean-up finds them). */
  readonly labels: Readonly<Record<string, string>>;
  /** Container names are `<prefix>-<target name>`. */
  readonly containerPrefix: string;
  /** Scaled deregistration delay, seconds. */
  readonly deregistrationDelaySeconds: number;
  readonly runHook: (event: HookEventName, functionName: string) => Promise<HookOutcome>;
  /** ECS controller: one invocation of a lifecycle hook. */
  readonly invokeNativeHook?: (invocation: NativeHookInvocation) => Promise<NativeHookResult>;
  /** The production listener, for the samples the progress shows. */
  readonly production?: {
    readonly url: string;
    /** The health route, whose answer names the color. */
    readonly path: string;
    /** The certificate to trust and the name to check it for, on TLS. */
    readonly certificate?: { readonly file: string; readonly host: string };
  };
  readonly log: (line: string) => void;
  /** The version each part serves, to tell their answers apart. */
  readonly versions?: Readonly<Record<TaskSetColor, string>>;
  /**
   * Pulls a task set's image before its tasks start, as Fargate pulls
   * from ECR at task start.
   */
  readonly pullImage?: (imageUri: string) => Promise<void>;
  /** Times the deregistration delay and the drain. @default the real clock */
  readonly clock?: Clock;
}

/**
 * The release platform on this machine: task sets as containers run from
 * the rendered task definitions, target groups and listeners as HAProxy
 * backends and frontends driven through its runtime API. Faults are not
 * its business: `withFaults` (faults.ts) wraps it, through `TaskControl`.
 */
export class LocalPlatform implements ReleasePlatform, TaskControl {
  private readonly containerHealthy = new Set<string>();
  /** Task sets whose desired count ECS keeps: blue runs before the release, green from Install until terminated. */
  private readonly maintained = new Set<TaskSetColor>(['blue']);
  /** Environment over the task definition's, by task set, for every task started from then on. */
  private readonly environmentOverrides = new Map<TaskSetColor, Readonly<Record<string, string>>>();
  private readonly replacementListeners: ((set: TaskSetColor, task: string) => void)[] = [];
  private readonly clock: Clock;
  private scheduler: NodeJS.Timeout | undefined;
  private schedulerRun: Promise<void> = Promise.resolve();
  /** Tasks ECS's scheduler replaced because they stopped (`set/target`), in order. */
  readonly replacedTasks: string[] = [];

  constructor(private readonly options: LocalPlatformOptions) {
    this.clock = options.clock ?? realClock;
  }

  containerName(target: ProxyTarget): string {
    return `${this.options.containerPrefix}-${target.name}`;
  }

  /** The targets of a part (blue: original, green: replacement). */
  targetsOf(set: TaskSetColor): ProxyTarget[] {
    return this.options.targets.filter((target) => target.taskSet === this.options.slots[set]);
  }

  private partOf(target: ProxyTarget): TaskSetColor {
    return target.taskSet === this.options.slots.green ? 'green' : 'blue';
  }

  /** Starts a task set's tasks (containers) as its task definition says. */
  async startTaskSet(set: TaskSetColor): Promise<void> {
    await this.options.pullImage?.(this.options.releases[set].imageUri);
    await Promise.all(this.targetsOf(set).map((target) => this.startTask(set, target)));
  }

  private async startTask(set: TaskSetColor, target: ProxyTarget): Promise<void> {
    const release = this.options.releases[set];
    const args = taskRunArgs(release.taskDefinition, {
      engine: this.options.engine,
      name: this.containerName(target),
      image: release.imageUri,
      hostPort: target.port,
      labels: { ...this.options.labels, 'webapp-color.task-set': target.taskSet },
      environmentOverrides: { ...this.environmentOverrides.get(set) },
    });
    const result = await engineExec(this.options.engine, args);
    if (result.code !== 0) {
      throw new Error(
        `${this.options.engine.name} run ${this.containerName(target)} failed: ${result.stderr.trim()}`,
      );
    }
  }

  /** The containers of a set that are not running (stopped, or gone). */
  private async stoppedTasks(set: TaskSetColor): Promise<ProxyTarget[]> {
    const targets = this.targetsOf(set);
    const inspected = await engineExec(this.options.engine, [
      'inspect',
      '--format',
      '{{.Name}} {{.State.Running}}',
      ...targets.map((target) => this.containerName(target)),
    ]);
    const running = new Set(
      inspected.stdout
        .split('\n')
        .map((line) => line.trim().split(' '))
        .filter(([, state]) => state === 'true')
        .map(([name]) => name?.replace(/^\//, '')),
    );
    return targets.filter((target) => !running.has(this.containerName(target)));
  }

  /**
   * ECS's service scheduler: "If one of your tasks fails or stops, the
   * Amazon ECS service scheduler launches another instance of your task
   * definition to replace it"
   * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html).
   * It runs on its own, beside the deployment, from `startScheduler()` to
   * `stopScheduler()`, for each task set not being terminated.
   */
  startScheduler(intervalMs = 250): void {
    if (this.scheduler) return;
    let busy = false;
    this.scheduler = setInterval(() => {
      if (busy) return;
      busy = true;
      this.schedulerRun = this.replaceStoppedTasks()
        .catch((error: Error) =>
          this.options.log(`ECS: replacing a stopped task failed: ${error.message}`),
        )
        .finally(() => (busy = false));
    }, intervalMs);
  }

  async stopScheduler(): Promise<void> {
    clearInterval(this.scheduler);
    this.scheduler = undefined;
    await this.schedulerRun;
  }

  /**
   * One pass of the scheduler. The replacement takes the stopped task's
   * place as a target (the same loopback port; on AWS a new address,
   * registered as a new target); its health checks start over, and until
   * they pass the load balancer routes as its health checks and fail-open say.
   */
  async replaceStoppedTasks(): Promise<void> {
    for (const set of (['blue', 'green'] as const).filter((s) => this.maintained.has(s))) {
      const stopped = await this.stoppedTasks(set);
      if (!this.maintained.has(set)) continue;
      await Promise.all(
        stopped.map(async (target) => {
          const name = this.containerName(target);
          this.containerHealthy.delete(name);
          await engineExec(this.options.engine, removeContainersArgs(this.options.engine, [name]));
          await this.startTask(set, target);
          this.options.log(`ECS: ${set} task ${target.name} stopped; replacement started`);
          this.replacedTasks.push(`${set}/${target.name}`);
          for (const listener of this.replacementListeners) listener(set, name);
        }),
      );
    }
  }

  /** Whether every task of a set is running, and every container health check has passed once. */
  async taskSetState(set: TaskSetColor): Promise<'healthy' | 'starting' | 'stopped'> {
    if ((await this.stoppedTasks(set)).length > 0) return 'stopped';
    const names = this.targetsOf(set).map((target) => this.containerName(target));
    let healthy = true;
    for (const name of names) {
      if (this.containerHealthy.has(name)) continue;
      if (await this.runContainerCheck(name)) this.containerHealthy.add(name);
      else healthy = false;
    }
    return healthy ? 'healthy' : 'starting';
  }

  /**
   * One run of the task definition's container health check. podman runs
   * the configured command on request; docker runs it on its own schedule.
   */
  private async runContainerCheck(name: string): Promise<boolean> {
    const { engine } = this.options;
    if (engine.name === 'podman') {
      return (await engineExec(engine, ['healthcheck', 'run', name])).code === 0;
    }
    const status = await engineExec(engine, [
      'inspect',
      '--format',
      '{{.State.Health.Status}}',
      name,
    ]);
    return status.stdout.trim() === 'healthy';
  }

  /** Whether every target of a set is in service in the production target group. */
  async targetsInService(set: TaskSetColor): Promise<boolean> {
    const names = new Set(this.targetsOf(set).map((target) => target.name));
    const stats = (await this.options.admin.stats()).filter(
      (stat) => stat.backend === PRODUCTION_BACKEND && names.has(stat.name),
    );
    return (
      stats.length === names.size &&
      stats.every((stat) => stat.status === 'UP' && stat.checkStatus === 'L7OK')
    );
  }

  async startGreen(): Promise<void> {
    await this.startTaskSet('green');
    // Only now: a task still being created would look stopped to the scheduler.
    this.maintained.add('green');
    // ECS registers a task's address with the target group once it runs.
    for (const target of this.targetsOf('green')) await this.setTargetState(target, 'ready');
  }

  /**
   * A target's state in both target groups: the checked server (the test
   * backend's tracks it) and its fail-open twins (see haproxyConfig).
   */
  private async setTargetState(
    target: ProxyTarget,
    state: 'ready' | 'drain' | 'maint',
  ): Promise<void> {
    const { admin } = this.options;
    await admin.setState(PRODUCTION_BACKEND, target.name, state);
    await admin.setState(PRODUCTION_BACKEND, failOpenTwin(target.name), state);
    await admin.setState(TEST_BACKEND, failOpenTwin(target.name), state);
  }

  /** A target's weight in one listener's target group, its fail-open twin alike. */
  private async setTargetWeight(
    backend: string,
    target: ProxyTarget,
    weight: number,
  ): Promise<void> {
    await this.options.admin.setWeight(backend, target.name, weight);
    await this.options.admin.setWeight(backend, failOpenTwin(target.name), weight);
  }

  async greenState(): Promise<'healthy' | 'starting' | 'stopped'> {
    const tasks = await this.taskSetState('green');
    if (tasks !== 'healthy') return tasks;
    return (await this.targetsInService('green')) ? 'healthy' : 'starting';
  }

  async routeTest(set: TaskSetColor | 'none'): Promise<void> {
    await this.setWeights(
      TEST_BACKEND,
      this.options.targets.map((server) => [server, this.partOf(server) === set ? 1 : 0]),
    );
  }

  /**
   * Sets a backend's weights, the targets that keep traffic first: set one
   * at a time, a target dropped to 0 before the other part is raised would
   * leave the backend a moment with no weight anywhere, and HAProxy answers
   * 503 (a listener rule's weights change at once on the ALB).
   */
  private async setWeights(
    backend: string,
    weights: readonly (readonly [ProxyTarget, number])[],
  ): Promise<void> {
    const ordered = [...weights].sort(([, a], [, b]) => Number(a === 0) - Number(b === 0));
    for (const [target, weight] of ordered) await this.setTargetWeight(backend, target, weight);
  }

  async setProductionShare(greenPercent: number): Promise<void> {
    const green = Math.round((greenPercent / 100) * FULL_WEIGHT);
    await this.setWeights(
      PRODUCTION_BACKEND,
      this.options.targets.map((server) => [
        server,
        this.partOf(server) === 'green' ? green : FULL_WEIGHT - green,
      ]),
    );
  }

  overrideEnvironment(set: TaskSetColor, variables: Readonly<Record<string, string>>): void {
    this.environmentOverrides.set(set, variables);
  }

  taskNames(set: TaskSetColor): string[] {
    return this.targetsOf(set).map((target) => this.containerName(target));
  }

  async killTasks(names: readonly string[]): Promise<void> {
    await engineExec(this.options.engine, ['kill', '--signal', 'KILL', ...names]);
  }

  onReplacement(listener: (set: TaskSetColor, task: string) => void): void {
    this.replacementListeners.push(listener);
  }

  async http5xxCounts(): Promise<Http5xxCounts> {
    return this.options.admin.http5xx();
  }

  /**
   * Terminates a task set as CodeDeploy does: its targets are deregistered
   * (draining: no new requests, in-flight ones finish) and, after the
   * target group's deregistration delay, its tasks are stopped
   * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay).
   * The detail gives the drain as measured, not as configured.
   */
  async terminate(set: TaskSetColor): Promise<string> {
    const { engine } = this.options;
    this.maintained.delete(set);
    // A replacement the scheduler is starting right now is stopped with the rest.
    await this.schedulerRun;
    const targets = this.targetsOf(set);
    const drainBegun = this.clock.now();
    for (const target of targets) await this.setTargetState(target, 'drain');
    await this.clock.sleep(this.options.deregistrationDelaySeconds * 1000);
    const drainedMs = this.clock.now() - drainBegun;
    const stopTimeout = soleContainer(this.options.releases[set].taskDefinition).stopTimeout ?? 30;
    const names = targets.map((target) => this.containerName(target));
    const stopBegun = this.clock.now();
    await engineExec(engine, ['stop', '--time', String(stopTimeout), ...names]);
    const stoppedMs = this.clock.now() - stopBegun;
    const codes = await engineExec(engine, [
      'inspect',
      '--format',
      '{{.State.ExitCode}}',
      ...names,
    ]);
    for (const target of targets) await this.setTargetState(target, 'maint');
    await engineExec(engine, removeContainersArgs(engine, names));
    const exitCodes = codes.stdout.trim().split('\n').join(', ');
    return `${set}: ${targets.length} targets drained in ${(drainedMs / 1000).toFixed(1)} s (deregistration delay ${this.options.deregistrationDelaySeconds.toFixed(1)} s), tasks stopped in ${(stoppedMs / 1000).toFixed(1)} s with exit codes ${exitCodes}`;
  }

  /**
   * Twenty answers of the production listener's health route, counted by
   * task set: told by the version each answer names (both may show the
   * same color), by color where both run the same version.
   */
  async sampleProduction(): Promise<string> {
    const production = this.options.production;
    if (!production) return '';
    const ca = production.certificate
      ? await readFile(production.certificate.file, 'utf8')
      : undefined;
    const counts = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const body = await getText(
        `${production.url}${production.path}`,
        ca,
        production.certificate?.host,
      );
      const { color, version } = JSON.parse(body) as { color?: unknown; version?: unknown };
      const { versions } = this.options;
      const part =
        versions && versions.blue !== versions.green
          ? (Object.keys(versions) as TaskSetColor[]).find((set) => versions[set] === version)
          : undefined;
      const key = part ?? String(color);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts].map(([key, count]) => `${key} ${count}`).join(', ');
  }

  runHook(event: HookEventName, functionName: string): Promise<HookOutcome> {
    return this.options.runHook(event, functionName);
  }

  invokeNativeHook(invocation: NativeHookInvocation): Promise<NativeHookResult> {
    if (!this.options.invokeNativeHook) {
      return Promise.resolve({ detail: 'this platform invokes no ECS lifecycle hooks' });
    }
    return this.options.invokeNativeHook(invocation);
  }
}

/** One GET on loopback; on TLS the certificate is checked against the site's name. */
function getText(url: string, ca?: string, servername?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onResponse = (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve(body));
    };
    const request = url.startsWith('https:')
      ? httpsGet(url, { ca, servername, timeout: 5_000 }, onResponse)
      : httpGet(url, { timeout: 5_000 }, onResponse);
    request.on('timeout', () => request.destroy(new Error(`${url} timed out`)));
    request.on('error', reject);
  });
}
