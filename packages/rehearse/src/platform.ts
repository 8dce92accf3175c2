import { readFile } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { engineExec, removeContainersArgs, type ContainerEngine } from './engine.js';
import {
  FULL_WEIGHT,
  PRODUCTION_BACKEND,
  TEST_BACKEND,
  type HaproxyAdmin,
  type ProxyTarget,
  type TaskSetColor,
} from './haproxy.js';
import type { HookEventName, HookOutcome, ReleasePlatform } from './lifecycle.js';
import type { LocalRelease } from './render.js';
import { soleContainer, taskRunArgs } from './task-run.js';

/** Failures the rehearsal can inject without changing the app. */
export const FAULTS = ['smoke', 'unhealthy', 'crash'] as const;
export type Fault = (typeof FAULTS)[number];

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
  readonly fault?: Fault;
  readonly runHook: (event: HookEventName, functionName: string) => Promise<HookOutcome>;
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
}

/**
 * The release platform on this machine: task sets as containers run from
 * the rendered task definitions, target groups and listeners as HAProxy
 * backends and frontends driven through its runtime API.
 *
 * Faults: `smoke` leaves the test listener on the original task set (a
 * stale listener: the smoke test sees the old version), or, where blue
 * serves the same version, without any target; `unhealthy` starts
 * green with the app listening on another port than the task definition's
 * container port (health checks never pass); `crash` kills green's tasks a
 * second after production traffic reaches them.
 */
export class LocalPlatform implements ReleasePlatform {
  private readonly containerHealthy = new Set<string>();
  private crashScheduled = false;

  constructor(private readonly options: LocalPlatformOptions) {}

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
    const release = this.options.releases[set];
    const container = soleContainer(release.taskDefinition);
    await this.options.pullImage?.(release.imageUri);
    const overrides: Record<string, string> = {};
    if (set === 'green' && this.options.fault === 'unhealthy') {
      // The app reads PORT; the task definition maps containerPort.
      overrides.PORT = String((container.portMappings?.[0]?.containerPort ?? 0) + 1);
    }
    await Promise.all(
      this.targetsOf(set).map(async (target) => {
        const args = taskRunArgs(release.taskDefinition, {
          engine: this.options.engine,
          name: this.containerName(target),
          image: release.imageUri,
          hostPort: target.port,
          labels: { ...this.options.labels, 'webapp-color.task-set': target.taskSet },
          environmentOverrides: overrides,
        });
        const result = await engineExec(this.options.engine, args);
        if (result.code !== 0) {
          throw new Error(
            `${this.options.engine.name} run ${this.containerName(target)} failed: ${result.stderr.trim()}`,
          );
        }
      }),
    );
  }

  /** Whether every task of a set is running, and every container health check has passed once. */
  async taskSetState(set: TaskSetColor): Promise<'healthy' | 'starting' | 'stopped'> {
    const targets = this.targetsOf(set);
    const names = targets.map((target) => this.containerName(target));
    const inspected = await engineExec(this.options.engine, [
      'inspect',
      '--format',
      '{{.Name}} {{.State.Running}}',
      ...names,
    ]);
    const running = new Set(
      inspected.stdout
        .split('\n')
        .map((line) => line.trim().split(' '))
        .filter(([, state]) => state === 'true')
        .map(([name]) => name?.replace(/^\//, '')),
    );
    if (names.some((name) => !running.has(name))) return 'stopped';
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
    // ECS registers a task's address with the target group once it runs.
    for (const target of this.targetsOf('green')) {
      await this.options.admin.setState(PRODUCTION_BACKEND, target.name, 'ready');
    }
  }

  async greenState(): Promise<'healthy' | 'starting' | 'stopped'> {
    const tasks = await this.taskSetState('green');
    if (tasks !== 'healthy') return tasks;
    return (await this.targetsInService('green')) ? 'healthy' : 'starting';
  }

  async routeTest(set: TaskSetColor): Promise<void> {
    let target: TaskSetColor | 'none' = set;
    if (set === 'green' && this.options.fault === 'smoke') {
      // A stale listener shows itself only where blue serves another version.
      const stale = this.options.releases.blue.imageUri !== this.options.releases.green.imageUri;
      target = stale ? 'blue' : 'none';
      this.options.log(
        stale
          ? 'fault smoke: the test listener stays on the original task set'
          : 'fault smoke: the test listener forwards to no target (blue serves the same version)',
      );
    }
    for (const server of this.options.targets) {
      await this.options.admin.setWeight(
        TEST_BACKEND,
        server.name,
        this.partOf(server) === target ? 1 : 0,
      );
    }
  }

  async setProductionShare(greenPercent: number): Promise<void> {
    const weights = { green: Math.round((greenPercent / 100) * FULL_WEIGHT) } as const;
    for (const server of this.options.targets) {
      await this.options.admin.setWeight(
        PRODUCTION_BACKEND,
        server.name,
        this.partOf(server) === 'green' ? weights.green : FULL_WEIGHT - weights.green,
      );
    }
    if (greenPercent > 0 && this.options.fault === 'crash' && !this.crashScheduled) {
      this.crashScheduled = true;
      setTimeout(() => {
        this.options.log("fault crash: green's tasks killed");
        const names = this.targetsOf('green').map((target) => this.containerName(target));
        void engineExec(this.options.engine, ['kill', '--signal', 'KILL', ...names]);
      }, 1_000);
    }
  }

  async green5xxCount(): Promise<number> {
    const names = new Set(this.targetsOf('green').map((target) => target.name));
    return (await this.options.admin.stats())
      .filter((stat) => stat.backend === PRODUCTION_BACKEND && names.has(stat.name))
      .reduce((sum, stat) => sum + stat.responses5xx, 0);
  }

  async terminate(set: TaskSetColor): Promise<string> {
    const { admin, engine } = this.options;
    const targets = this.targetsOf(set);
    for (const target of targets) await admin.setState(PRODUCTION_BACKEND, target.name, 'drain');
    await new Promise((resolve) =>
      setTimeout(resolve, this.options.deregistrationDelaySeconds * 1000),
    );
    const stopTimeout = soleContainer(this.options.releases[set].taskDefinition).stopTimeout ?? 30;
    const names = targets.map((target) => this.containerName(target));
    const begun = Date.now();
    await engineExec(engine, ['stop', '--time', String(stopTimeout), ...names]);
    const stoppedMs = Date.now() - begun;
    const codes = await engineExec(engine, [
      'inspect',
      '--format',
      '{{.State.ExitCode}}',
      ...names,
    ]);
    for (const target of targets) await admin.setState(PRODUCTION_BACKEND, target.name, 'maint');
    await engineExec(engine, removeContainersArgs(engine, names));
    const exitCodes = codes.stdout.trim().split('\n').join(', ');
    return `${set}: ${targets.length} targets drained (${this.options.deregistrationDelaySeconds.toFixed(1)} s), tasks stopped in ${(stoppedMs / 1000).toFixed(1)} s with exit codes ${exitCodes}`;
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
