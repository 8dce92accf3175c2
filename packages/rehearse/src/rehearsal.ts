import { join } from 'node:path';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { engineExec, type EngineName } from './engine.js';
import { tearDown, writeState } from './environment.js';
import { HaproxyAdmin, startHaproxy, type TaskSetColor } from './haproxy.js';
import { startHookRunner, type LocalListener } from './hooks.js';
import { buildImage } from './image.js';
import {
  appSpecHooks,
  runRelease,
  type EventRecord,
  type ReleaseObserver,
  type StepName,
} from './lifecycle.js';
import { SteadyLoad, type PhaseCount } from './load.js';
import { LocalPlatform, type Fault } from './platform.js';
import { preflight } from './preflight.js';
import { layOutProxy } from './proxy-layout.js';
import {
  readLocalRelease,
  localEcrRepository,
  renderLocalRelease,
  writeLocalRelease,
  type LocalRelease,
} from './render.js';
import { shiftSteps, type DeploymentStrategy } from './settings.js';
import { REHEARSAL_LABEL } from './task-run.js';
import { sourceVersion } from './version.js';

export { UsageError } from './preflight.js';
import { UsageError } from './preflight.js';

export interface RehearseOptions {
  readonly repoRoot: string;
  readonly definition: DeliveryDefinition;
  /** infra/config environment. @default the first one */
  readonly infraEnvironment?: string;
  /** Green's color. @default a color other than the definition's */
  readonly color?: string;
  readonly fault?: Fault;
  /** Real termination wait, shift intervals and deregistration delay instead of a minute per second. */
  readonly realTimings: boolean;
  readonly keep: boolean;
  /** Overrides the configured deployment config. */
  readonly strategy?: DeploymentStrategy;
  /** Load: requests per second on the production listener. */
  readonly rate: number;
  readonly engine?: EngineName;
  readonly productionPort?: number;
  readonly signal?: AbortSignal;
  /** Live progress lines. */
  readonly progress: (line: string) => void;
}

export interface RehearsalSummary {
  readonly outcome: 'succeeded' | 'rolled-back';
  readonly reason?: string;
  readonly version: string;
  readonly engine: string;
  readonly infraEnvironment: string;
  readonly strategy: DeploymentStrategy;
  readonly fault: Fault | null;
  readonly colors: Readonly<Record<TaskSetColor, string>>;
  readonly requests: number;
  readonly failedRequests: number;
  readonly phases: Readonly<Record<string, PhaseCount>>;
  readonly events: readonly EventRecord[];
  /** Tasks ECS's scheduler replaced because they stopped (`set/target`). */
  readonly replacedTasks: readonly string[];
  readonly timings: {
    readonly buildSeconds: number;
    readonly greenHealthySeconds: number | null;
    readonly healthGateSeconds: number;
    readonly hookSeconds: number;
    readonly shiftSeconds: number | null;
    readonly drainSeconds: number | null;
    readonly totalSeconds: number;
  };
  readonly timeScale: number;
  readonly productionUrl: string;
  readonly testUrl: string;
  readonly kept: boolean;
  /** The AWS API calls the hooks made, in order (`service:Operation`), all answered by the stand-in. */
  readonly awsCalls: readonly string[];
}

/** A minute of configured waiting becomes a second unless real timings are asked for. */
export const SCALED_SECONDS_PER_MINUTE = 1;

/** The definition with green's color in its container environment, so the rendered task definition carries it. */
function withColor(definition: DeliveryDefinition, color: string): DeliveryDefinition {
  return {
    ...definition,
    container: {
      ...definition.container,
      environment: { ...definition.container.environment, APP_COLOR: color },
    },
  };
}

/**
 * One rehearsal: build, render, bring blue up, release green through the
 * lifecycle under load, report. Everything it starts is removed at the end,
 * unless `keep` and the release succeeded.
 */
export async function rehearse(options: RehearseOptions): Promise<RehearsalSummary> {
  const began = Date.now();
  const { repoRoot, definition, progress } = options;
  const {
    engine,
    environment,
    infra,
    colors,
    strategy,
    app,
    tls,
    infrastructureValues,
    kept: previous,
  } = await preflight(options);
  const { blue: blueColor, green: greenColor } = colors;
  if (
    previous &&
    options.productionPort &&
    options.productionPort !== previous.listeners.production.port
  ) {
    throw new UsageError(
      `--port ${options.productionPort}: the kept environment serves production on ${previous.listeners.production.port}; drop --port or run \`pnpm rehearse down\` first`,
    );
  }
  const scale = options.realTimings ? 1 : SCALED_SECONDS_PER_MINUTE / 60;
  const cleanups: (() => Promise<void>)[] = [];
  let kept = false;
  let blueTag: string | undefined;
  let load: SteadyLoad | undefined;
  // Which slot (target names, release folder) plays blue and green: on a kept
  // environment the live slot is blue, as CodeDeploy alternates target groups.
  const slots: Record<TaskSetColor, TaskSetColor> =
    previous?.liveSlot === 'green'
      ? { blue: 'green', green: 'blue' }
      : { blue: 'blue', green: 'green' };
  const releaseDirectory = (slot: TaskSetColor) => join(environment.directory, `release-${slot}`);

  try {
    cleanups.push(async () => {
      await tearDown(engine, environment);
    });
    // Build, as the release build does: the commit id is the tag and APP_VERSION.
    const source = await sourceVersion(repoRoot);
    const repository = localEcrRepository(infra.region, definition.app.name);
    progress(
      `Build      ${definition.app.dockerfile} with ${engine.name} ${engine.version} as ${repository}:${source.version}`,
    );
    const built = await buildImage({
      engine,
      repoRoot,
      definition,
      tag: `${repository}:${source.version}`,
      appVersion: source.version,
    });
    progress(`Build      done in ${built.seconds.toFixed(1)} s`);

    const render = (version: string, releaseDefinition: DeliveryDefinition) =>
      renderLocalRelease(releaseDefinition, {
        repoRoot,
        commitId: source.commitId,
        version,
        imageRepository: repository,
        region: infra.region,
        infrastructureValues,
      });
    // Blue: the kept environment's live release, or (nothing running) the same
    // image under a baseline version, so a check that compares versions can
    // tell blue from green.
    const blueVersion = previous?.live.version ?? `${source.version}.baseline`;
    let blueRelease: LocalRelease;
    if (previous) {
      blueRelease = await readLocalRelease(releaseDirectory(slots.blue));
    } else {
      blueTag = `${repository}:${blueVersion}`;
      await engineExec(engine, ['tag', built.tag, blueTag]);
      blueRelease = await render(blueVersion, definition);
      await writeLocalRelease(releaseDirectory(slots.blue), blueRelease);
    }
    const blueImageId = previous
      ? (
          await engineExec(engine, [
            'image',
            'inspect',
            '--format',
            '{{.Id}}',
            blueRelease.imageUri,
          ])
        ).stdout.trim()
      : built.id;
    const releases: Record<TaskSetColor, LocalRelease> = {
      blue: blueRelease,
      green: await render(source.version, withColor(definition, greenColor)),
    };
    await writeLocalRelease(releaseDirectory(slots.green), releases.green);
    progress(
      `Render     taskdef.json, appspec.yaml, imageDetail.json valid (${releaseDirectory(slots.green)})`,
    );

    const count = infra.taskCount;
    const { targets, listeners } =
      previous ??
      (await layOutProxy({
        environment,
        definition,
        infra,
        tls,
        taskCount: count,
        idleTimeoutSeconds: app.idleTimeoutSeconds,
        productionPort: options.productionPort,
      }));
    const url = (listener: LocalListener) =>
      `${listener.certificateFile ? 'https' : 'http'}://127.0.0.1:${listener.port}`;
    const productionUrl = url(listeners.production);
    const testUrl = url(listeners.test);

    const admin = new HaproxyAdmin(environment.adminSocket);
    const hooks = await startHookRunner({
      app,
      definition,
      infra,
      releases,
      listeners,
      scale,
      imageIds: { blue: blueImageId, green: built.id },
      workDirectory: join(environment.directory, 'functions'),
      sdkModules: join(repoRoot, 'infra', 'node_modules'),
    });
    cleanups.unshift(() => hooks.close());
    const platform = new LocalPlatform({
      engine,
      admin,
      targets,
      slots,
      releases,
      labels: { [REHEARSAL_LABEL]: environment.key },
      containerPrefix: environment.key,
      deregistrationDelaySeconds: infra.deregistrationDelaySeconds * scale,
      fault: options.fault,
      runHook: (event, functionName) => hooks.run(event, functionName),
      log: progress,
      production: {
        url: productionUrl,
        path: definition.container.healthCheckPath,
        ...(listeners.production.certificateFile
          ? { certificate: { file: listeners.production.certificateFile, host: infra.siteHost } }
          : {}),
      },
    });

    const blueBegun = Date.now();
    if (!previous) {
      await platform.startTaskSet('blue');
      for (
        let state = await platform.taskSetState('blue');
        state !== 'healthy';
        state = await platform.taskSetState('blue')
      ) {
        if (state === 'stopped' || Date.now() - blueBegun > 60_000) {
          throw new Error(
            `the original task set did not become healthy (${state}); see \`${engine.name} logs\``,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await startHaproxy({
        configPath: environment.haproxyConfig,
        pidFile: environment.haproxyPidFile,
      });
    }
    while (!(await platform.targetsInService('blue'))) {
      if (Date.now() - blueBegun > 90_000)
        throw new Error('HAProxy never saw the original task set healthy');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    progress(
      `Blue       ${count} tasks of ${blueVersion} (${blueColor}) in service on ${productionUrl}${previous ? ' (kept from the last rehearsal)' : ` after ${((Date.now() - blueBegun) / 1000).toFixed(1)} s`}`,
    );

    load = new SteadyLoad({ url: `${productionUrl}/`, rate: options.rate, connections: 4 });
    load.start();
    await new Promise((resolve) => setTimeout(resolve, 500));

    const observer: ReleaseObserver = {
      started: (name: StepName) => progress(`${name.padEnd(25)} InProgress`),
      finished: (record) =>
        progress(
          `${record.name.padEnd(25)} ${record.result.padEnd(10)} ${record.durationSeconds.toFixed(1).padStart(6)} s  ${record.start.slice(11, 19)} → ${record.end.slice(11, 19)}  ${record.detail}`,
        ),
      phase: (name) => load?.enter(name),
    };
    const hc = infra.healthCheck;
    platform.startScheduler();
    cleanups.unshift(() => platform.stopScheduler());
    const outcome = await runRelease(
      {
        hooks: appSpecHooks(releases.green.appSpec),
        steps: shiftSteps(strategy).map((step) => ({
          ...step,
          waitSecondsAfter: step.waitSecondsAfter * scale,
        })),
        healthGateSeconds: hc.healthyThreshold * hc.intervalSeconds,
        healthGraceSeconds: hc.timeoutSeconds,
        terminationWaitSeconds: infra.terminationWaitMinutes * 60 * scale,
        alarm: {
          thresholds: {
            loadBalancer: infra.loadBalancer5xxPerMinute,
            targets: infra.target5xxPerMinute,
          },
          periodSeconds: 60 * scale,
          periods: infra.evaluationPeriods,
        },
      },
      platform,
      observer,
      { signal: options.signal },
    );
    await load.stop();
    await platform.stopScheduler();
    const totals = load.totals();

    // Kept (unless interrupted): whichever task set serves production stays up.
    kept = options.keep && !options.signal?.aborted;
    if (kept) {
      cleanups.length = 0;
      await hooks.close();
      const succeeded = outcome.outcome === 'succeeded';
      await writeState(environment, {
        productionUrl,
        testUrl,
        engine: engine.name,
        listeners,
        targets,
        liveSlot: succeeded ? slots.green : slots.blue,
        live: succeeded
          ? { version: source.version, color: greenColor }
          : { version: blueVersion, color: blueColor },
      });
      if (!succeeded) blueTag = undefined;
    }
    return {
      outcome: outcome.outcome,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      version: source.version,
      engine: `${engine.name} ${engine.version}`,
      infraEnvironment: infra.environment,
      strategy,
      fault: options.fault ?? null,
      colors: { blue: blueColor, green: greenColor },
      requests: totals.requests,
      failedRequests: totals.failed,
      phases: Object.fromEntries(load.phases),
      events: outcome.events,
      replacedTasks: [...platform.replacedTasks],
      timings: {
        buildSeconds: built.seconds,
        greenHealthySeconds: outcome.greenHealthySeconds ?? null,
        healthGateSeconds: hc.healthyThreshold * hc.intervalSeconds,
        hookSeconds: outcome.hookSeconds,
        shiftSeconds: outcome.shiftSeconds ?? null,
        drainSeconds: outcome.drainSeconds ?? null,
        totalSeconds: (Date.now() - began) / 1000,
      },
      timeScale: scale,
      productionUrl,
      testUrl,
      kept,
      awsCalls: hooks.calls().map((call) => `${call.service}:${call.operation}`),
    };
  } finally {
    await load?.stop();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    // Blue's tag goes with blue (the version's own tag stays: the layer cache).
    if (blueTag) await engineExec(engine, ['rmi', blueTag]).catch(() => undefined);
  }
}
