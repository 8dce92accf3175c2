import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { waitUntil } from './clock.js';
import { engineExec, type EngineName } from './engine.js';
import { tearDown, writeState } from './environment.js';
import { HaproxyAdmin, startHaproxy, type TaskSetColor } from './haproxy.js';
import { startHookRunner, type LocalListener } from './hooks.js';
import {
  appSpecHooks,
  runRelease,
  type EventRecord,
  type ReleaseObserver,
  type StepName,
} from './lifecycle.js';
import { SteadyLoad, type PhaseCount } from './load.js';
import { withFaults, type Fault } from './faults.js';
import { LocalPlatform } from './platform.js';
import { preflight } from './preflight.js';
import { layOutProxy } from './proxy-layout.js';
import {
  readLocalRelease,
  localEcrRepository,
  RELEASE_FILES,
  renderLocalRelease,
  standInEnvironment,
  writeLocalRelease,
  type LocalRelease,
} from './render.js';
import { shiftSteps, type DeploymentStrategy } from './settings.js';
import { REHEARSAL_LABEL } from './task-run.js';
import { defaultCacheDirectory, runPushStages, type PipelineEvent } from './pipeline/push.js';
import { pullImage, pushImage } from './pipeline/pull.js';
import { REGISTRY_PROGRAM, startRegistry } from './pipeline/registry.js';
import { STAND_IN_PREFIX } from './pipeline/tools.js';

export { UsageError } from './preflight.js';
import { UsageError } from './preflight.js';

export interface RehearseOptions {
  readonly repoRoot: string;
  readonly definition: DeliveryDefinition;
  /** infra/config environment. @default the first one */
  readonly infraEnvironment?: string;
  /**
   * The baseline's color (blue, where nothing runs yet); green is the
   * release as built, with the definition's color.
   * @default a color other than the definition's
   */
  readonly color?: string;
  /** Where the build's declared cache, the registry's storage and the build's Node live between rehearsals. */
  readonly cacheDirectory?: string;
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

/** One event of the summary: Source and Build (CodeBuild's phases), then the deployment's lifecycle. */
export type RehearsalEvent = PipelineEvent | (EventRecord & { readonly stage: 'Deploy' });

export interface RehearsalSummary {
  /** `failed`: the build failed, nothing was deployed. */
  readonly outcome: 'succeeded' | 'rolled-back' | 'failed';
  readonly reason?: string;
  /** The image tag and APP_VERSION: the commit id (of a snapshot commit for a dirty tree). */
  readonly version: string;
  /** The source as the Source action handed it to the build. */
  readonly source: {
    readonly commitId: string;
    readonly headCommitId: string;
    readonly dirty: boolean;
    readonly files: number;
  };
  /** The build: its status, and where it failed. */
  readonly build: {
    readonly status: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
    readonly failedPhase?: string;
    readonly failedCommand?: string;
    readonly logFile: string;
    /** The artifact's files, which the deployment uses. */
    readonly artifactFiles: readonly string[];
  };
  /** Manifest requests for the release's image the local registry answered (pushes and pulls). */
  readonly registry: {
    readonly address: string;
    readonly standsInFor: string;
    readonly imageRequests: readonly string[];
  };
  readonly engine: string;
  readonly infraEnvironment: string;
  readonly strategy: DeploymentStrategy;
  readonly fault: Fault | null;
  readonly colors: Readonly<Record<TaskSetColor, string>>;
  readonly requests: number;
  readonly failedRequests: number;
  readonly phases: Readonly<Record<string, PhaseCount>>;
  readonly events: readonly RehearsalEvent[];
  /** Tasks ECS's scheduler replaced because they stopped (`set/target`). */
  readonly replacedTasks: readonly string[];
  readonly timings: {
    /** Source and Build, from the push to the uploaded artifact. */
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
  /** The value of the `webapp-color.rehearsal` label on everything this rehearsal started. */
  readonly environmentKey: string;
  /** The AWS API calls the hooks made, in order (`service:Operation`), all answered by the stand-in. */
  readonly awsCalls: readonly string[];
}

/** A minute of configured waiting becomes a second unless real timings are asked for. */
export const SCALED_SECONDS_PER_MINUTE = 1;

/** The definition with another color in its container environment, so the rendered task definition carries it. */
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
 * One rehearsal, from the push: Source (the commit as CODE_ZIP packs it),
 * Build (the committed buildspec, the image pushed to the local registry),
 * then the deployment of the build's artifact (blue up, green released
 * through the lifecycle under load), and a report. Everything it starts is
 * removed at the end, unless `keep` and the release succeeded.
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
  const cacheDirectory = options.cacheDirectory ?? defaultCacheDirectory();
  const cleanups: (() => Promise<void>)[] = [];
  const localTags: string[] = [];
  let kept = false;
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
    // ECR's stand-in: the build pushes there, the task sets pull from there.
    const repository = localEcrRepository(infra.region, definition.app.name);
    const registry = await startRegistry({
      directory: join(environment.directory, 'registry'),
      storage: join(cacheDirectory, 'registry'),
      standsInFor: repository.slice(0, repository.indexOf('/')),
      pidFile: environment.registryPidFile,
    });
    cleanups.unshift(() => registry.close());
    progress(
      `Registry   ${registry.address} stands in for ${registry.standsInFor} (${REGISTRY_PROGRAM})`,
    );

    // Source and Build, as CodePipeline and CodeBuild run them.
    const projectVariables = standInEnvironment(definition, {
      commitId: '',
      imageRepository: repository,
      region: infra.region,
      infrastructureValues,
    });
    delete projectVariables[definition.build.sourceCommitVariable];
    const push = await runPushStages({
      repoRoot,
      definition,
      engine,
      registry,
      region: infra.region,
      projectVariables,
      // Beside the cache, not in the environment's folder: the build's log
      // outlives the rehearsal, until the next one.
      workDirectory: join(cacheDirectory, 'builds', environment.key),
      cacheDirectory,
      progress,
      // What runs as a local equivalent is said where it happens.
      onBuildLine: (line) => {
        if (line.startsWith(STAND_IN_PREFIX)) progress(`             ${line}`);
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const { source } = push;
    const version = source.commitId;
    const buildReport = {
      status: push.build.buildStatus,
      logFile: push.build.logFile,
      artifactFiles: push.build.artifactFiles,
    };
    const sourceReport = {
      commitId: source.commitId,
      headCommitId: source.headCommitId,
      dirty: source.dirty,
      files: source.files,
    };
    const registryReport = () => ({
      address: registry.address,
      standsInFor: registry.standsInFor,
      imageRequests: registry
        .manifestRequests()
        .filter((request) => request.includes(`${definition.app.name}:${version}`)),
    });
    if (push.build.buildStatus !== 'SUCCEEDED') {
      const failed = push.build.phases.find((phase) => phase.phaseStatus !== 'SUCCEEDED');
      return {
        outcome: 'failed',
        reason: `the build failed in ${failed?.phaseType ?? 'an unknown phase'}${failed?.failedCommand ? ` at \`${failed.failedCommand}\`` : ''}${failed?.context ? `: ${failed.context}` : ''}; nothing was deployed (log: ${push.build.logFile})`,
        version,
        source: sourceReport,
        build: {
          ...buildReport,
          ...(failed ? { failedPhase: failed.phaseType } : {}),
          ...(failed?.failedCommand ? { failedCommand: failed.failedCommand } : {}),
        },
        registry: registryReport(),
        engine: `${engine.name} ${engine.version}`,
        infraEnvironment: infra.environment,
        strategy,
        fault: options.fault ?? null,
        colors: { blue: blueColor, green: greenColor },
        requests: 0,
        failedRequests: 0,
        phases: {},
        events: push.events,
        replacedTasks: [],
        timings: {
          buildSeconds: push.buildSeconds,
          greenHealthySeconds: null,
          healthGateSeconds: infra.healthCheck.healthyThreshold * infra.healthCheck.intervalSeconds,
          hookSeconds: 0,
          shiftSeconds: null,
          drainSeconds: null,
          totalSeconds: (Date.now() - began) / 1000,
        },
        timeScale: scale,
        productionUrl: '',
        testUrl: '',
        kept: false,
        environmentKey: environment.key,
        awsCalls: [],
      };
    }

    // Green is the build's artifact, exactly as uploaded.
    const missing = RELEASE_FILES.filter((name) => !push.build.artifactFiles.includes(name));
    if (missing.length > 0) {
      throw new Error(
        `the build's artifact has no ${missing.join(', ')} (it uploaded ${push.build.artifactFiles.join(', ') || 'nothing'}): CodeDeployToECS needs ${RELEASE_FILES.join(', ')}`,
      );
    }
    const greenRelease = await readLocalRelease(push.artifactDirectory);
    await writeLocalRelease(releaseDirectory(slots.green), greenRelease);
    progress(
      `Artifact   ${push.build.artifactFiles.join(', ')}: the deployment's files (${releaseDirectory(slots.green)})`,
    );
    const pull = async (imageUri: string) => {
      const id = await pullImage(engine, registry, imageUri);
      if (!localTags.includes(imageUri)) localTags.push(imageUri);
      progress(`Pull       ${imageUri} from ${registry.address}`);
      return id;
    };
    const greenImageId = await pull(greenRelease.imageUri);

    // Blue: the kept environment's live release, or (nothing running) the
    // release's image under a baseline version and another color, so a check
    // that compares versions can tell blue from green.
    const blueVersion = previous?.live.version ?? `${version}.baseline`;
    let blueRelease: LocalRelease;
    if (previous) {
      blueRelease = await readLocalRelease(releaseDirectory(slots.blue));
    } else {
      const blueImage = `${repository}:${blueVersion}`;
      await pushImage(engine, registry, greenRelease.imageUri, blueImage);
      blueRelease = await renderLocalRelease(withColor(definition, blueColor), {
        repoRoot,
        commitId: source.headCommitId,
        version: blueVersion,
        imageRepository: repository,
        region: infra.region,
        infrastructureValues,
      });
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
      : greenImageId;
    const releases: Record<TaskSetColor, LocalRelease> = {
      blue: blueRelease,
      green: greenRelease,
    };

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
      imageIds: { blue: blueImageId, green: greenImageId },
      workDirectory: join(environment.directory, 'functions'),
      // The SDK the Node.js Lambda runtime provides: this package's own.
      sdkModules: fileURLToPath(new URL('../node_modules', import.meta.url)),
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
      runHook: (event, functionName) => hooks.run(event, functionName),
      log: progress,
      versions: { blue: blueVersion, green: version },
      pullImage: async (imageUri) => {
        await pull(imageUri);
      },
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
      await waitUntil(
        async () => {
          const state = await platform.taskSetState('blue');
          if (state === 'stopped') {
            throw new Error(
              `the original task set did not become healthy (stopped); see \`${engine.name} logs\``,
            );
          }
          return state === 'healthy';
        },
        {
          waitingFor: `the original task set to be healthy (see \`${engine.name} logs\`)`,
          timeoutMs: 60_000,
          since: blueBegun,
        },
      );
      await startHaproxy({
        configPath: environment.haproxyConfig,
        pidFile: environment.haproxyPidFile,
      });
    }
    await waitUntil(() => platform.targetsInService('blue'), {
      waitingFor: 'HAProxy to see the original task set healthy',
      timeoutMs: 90_000,
      since: blueBegun,
    });
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
      withFaults(platform, options.fault, { releases, log: progress }),
      observer,
      { signal: options.signal },
    );
    await load.stop();
    await platform.stopScheduler();
    const totals = load.totals();

    // Kept (unless interrupted): whichever task set serves production stays up.
    kept = options.keep && !options.signal?.aborted;
    const succeeded = outcome.outcome === 'succeeded';
    if (kept) {
      cleanups.length = 0;
      cleanups.push(() => registry.close());
      await hooks.close();
      await writeState(environment, {
        productionUrl,
        testUrl,
        engine: engine.name,
        listeners,
        targets,
        liveSlot: succeeded ? slots.green : slots.blue,
        live: succeeded
          ? { version, color: greenColor }
          : { version: blueVersion, color: blueColor },
      });
      // The live image's tag stays with the tasks that run it.
      const liveImage = (succeeded ? releases.green : releases.blue).imageUri;
      const index = localTags.indexOf(liveImage);
      if (index >= 0) localTags.splice(index, 1);
    }
    return {
      outcome: outcome.outcome,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      version,
      source: sourceReport,
      build: buildReport,
      registry: registryReport(),
      engine: `${engine.name} ${engine.version}`,
      infraEnvironment: infra.environment,
      strategy,
      fault: options.fault ?? null,
      colors: { blue: blueColor, green: greenColor },
      requests: totals.requests,
      failedRequests: totals.failed,
      phases: Object.fromEntries(load.phases),
      events: [
        ...push.events,
        ...outcome.events.map((event) => ({ ...event, stage: 'Deploy' as const })),
      ],
      replacedTasks: [...platform.replacedTasks],
      timings: {
        buildSeconds: push.buildSeconds,
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
      environmentKey: environment.key,
      awsCalls: hooks.calls().map((call) => `${call.service}:${call.operation}`),
    };
  } finally {
    await load?.stop();
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    // The images stay in the registry (ECR's stand-in); their local names go.
    for (const tag of localTags) await engineExec(engine, ['rmi', tag]).catch(() => undefined);
  }
}
