import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { realClock, waitUntil, type Clock } from '../clock.js';
import type { KeptState } from '../environment.js';
import { HaproxyAdmin, startHaproxy, type TaskSetColor } from '../haproxy.js';
import { startHookRunner, type HookRunner, type LocalListener } from '../hooks.js';
import { LocalPlatform } from '../platform.js';
import { layOutProxy } from '../proxy-layout.js';
import { REHEARSAL_LABEL } from '../task-run.js';
import { pullRelease, type Build, type Releases } from './build.js';
import type { RehearsalContext } from './context.js';

/** Where the release runs: the proxy's layout, the hooks' runner and the platform on them. */
export interface Stage extends Pick<KeptState, 'targets' | 'listeners'> {
  readonly platform: LocalPlatform;
  readonly hooks: HookRunner;
  readonly productionUrl: string;
  readonly testUrl: string;
}

/**
 * Step 2, bring up blue: the load balancer, the hooks' runner and the
 * platform, then blue's tasks (unless a kept environment runs them), in
 * service behind the production listener.
 */
export async function bringUpBlue(
  context: RehearsalContext,
  build: Build & Releases,
): Promise<Stage> {
  const stage = await setStage(context, build);
  const begun = Date.now();
  await waitForBlue(stage.platform, {
    kept: context.kept !== undefined,
    engineName: context.engine.name,
    startProxy: async () => {
      await startHaproxy({
        configPath: context.environment.haproxyConfig,
        pidFile: context.environment.haproxyPidFile,
      });
    },
  });
  context.options.progress(
    `Blue       ${context.infra.taskCount} tasks of ${build.versions.blue} (${context.colors.blue}) in service on ${stage.productionUrl}${context.kept ? ' (kept from the last rehearsal)' : ` after ${((Date.now() - begun) / 1000).toFixed(1)} s`}`,
  );
  return stage;
}

/** What bringing up blue asks of the platform. */
export interface BluePlatform {
  startTaskSet(set: TaskSetColor): Promise<void>;
  taskSetState(set: TaskSetColor): Promise<'healthy' | 'starting' | 'stopped'>;
  targetsInService(set: TaskSetColor): Promise<boolean>;
}

/**
 * Starts blue's tasks and, once their container checks pass, the proxy;
 * then waits for the proxy's health checks to put every blue target in
 * service. On a kept environment both already run: only the last wait remains.
 */
export async function waitForBlue(
  platform: BluePlatform,
  options: {
    readonly kept: boolean;
    readonly engineName: string;
    readonly startProxy: () => Promise<void>;
    readonly clock?: Clock;
  },
): Promise<void> {
  const clock = options.clock ?? realClock;
  const since = clock.now();
  if (!options.kept) {
    await platform.startTaskSet('blue');
    await waitUntil(
      async () => {
        const state = await platform.taskSetState('blue');
        if (state === 'stopped') {
          throw new Error(
            `the original task set did not become healthy (stopped); see \`${options.engineName} logs\``,
          );
        }
        return state === 'healthy';
      },
      {
        waitingFor: `the original task set to be healthy (see \`${options.engineName} logs\`)`,
        timeoutMs: 60_000,
        since,
        clock,
      },
    );
    await options.startProxy();
  }
  await waitUntil(() => platform.targetsInService('blue'), {
    waitingFor: 'HAProxy to see the original task set healthy',
    timeoutMs: 90_000,
    since,
    clock,
  });
}

/** The proxy laid out (or kept), the hooks' runner and the platform, nothing started yet. */
async function setStage(context: RehearsalContext, build: Build & Releases): Promise<Stage> {
  const { environment, infra, app, options, kept } = context;
  const { targets, listeners } =
    kept ??
    (await layOutProxy({
      environment,
      definition: options.definition,
      infra,
      tls: context.tls,
      taskCount: infra.taskCount,
      idleTimeoutSeconds: app.idleTimeoutSeconds,
      productionPort: options.productionPort,
    }));
  const productionUrl = url(listeners.production);
  const hooks = await startHookRunner({
    app,
    controller: context.controller,
    definition: options.definition,
    infra,
    releases: build.releases,
    listeners,
    scale: context.scale,
    imageIds: build.imageIds,
    workDirectory: join(environment.directory, 'functions'),
    // The SDK the Node.js Lambda runtime provides: this package's own.
    sdkModules: fileURLToPath(new URL('../../node_modules', import.meta.url)),
  });
  context.cleanups.add('hook runner', () => hooks.close());
  const platform = new LocalPlatform({
    engine: context.engine,
    admin: new HaproxyAdmin(environment.adminSocket),
    targets,
    slots: context.slots,
    releases: build.releases,
    labels: { [REHEARSAL_LABEL]: environment.key },
    containerPrefix: environment.key,
    deregistrationDelaySeconds: infra.deregistrationDelaySeconds * context.scale,
    runHook: (event, functionName) => hooks.run(event, functionName),
    invokeNativeHook: (invocation) => hooks.runNative(invocation),
    log: options.progress,
    versions: build.versions,
    pullImage: async (imageUri) => {
      await pullRelease(context, build.registry, imageUri);
    },
    production: {
      url: productionUrl,
      path: options.definition.container.healthCheckPath,
      ...(listeners.production.certificateFile
        ? { certificate: { file: listeners.production.certificateFile, host: infra.siteHost } }
        : {}),
    },
  });
  return { targets, listeners, platform, hooks, productionUrl, testUrl: url(listeners.test) };
}

function url(listener: LocalListener): string {
  return `${listener.certificateFile ? 'https' : 'http'}://127.0.0.1:${listener.port}`;
}
