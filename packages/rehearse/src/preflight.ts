import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { releaseVariableNames } from '@webapp-color/deploy-specs';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { tsImport } from 'tsx/esm/api';
import { detectEngine, MissingToolError, type ContainerEngine, type EngineName } from './engine.js';
import {
  readState,
  rehearsalContainers,
  rehearsalEnvironment,
  runningHaproxy,
  type KeptState,
  type RehearsalEnvironment,
} from './environment.js';
import { haproxyVersion } from './haproxy.js';
import { exec } from './private/exec.js';
import { loadInfraSettings, type DeploymentStrategy, type InfraSettings } from './settings.js';
import { literalValue, readSynthesizedApp, type SynthesizedApp } from './synthesized.js';

/** A flag or its value is not usable (exit code 2, like a missing tool). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface PreflightOptions {
  readonly repoRoot: string;
  readonly definition: DeliveryDefinition;
  readonly infraEnvironment?: string;
  readonly color?: string;
  readonly strategy?: DeploymentStrategy;
  readonly engine?: EngineName;
}

/** Everything checked and read before anything is built or started. */
export interface Preflight {
  readonly engine: ContainerEngine;
  readonly environment: RehearsalEnvironment;
  readonly infra: InfraSettings;
  readonly colors: { readonly blue: string; readonly green: string };
  readonly strategy: DeploymentStrategy;
  readonly app: SynthesizedApp;
  /** Whether each listener terminates TLS, as the synthesized one does. */
  readonly tls: { readonly production: boolean; readonly test: boolean };
  /** Release variables the synthesized build environment fixes. */
  readonly infrastructureValues: Readonly<Record<string, string>>;
  /** A kept environment the release goes onto (its live tasks are blue). */
  readonly kept?: KeptState;
}

async function appColors(repoRoot: string, definition: DeliveryDefinition): Promise<string[]> {
  const url = pathToFileURL(join(repoRoot, definition.app.directory, 'src', 'colors.ts')).href;
  const module = (await tsImport(url, import.meta.url)) as { COLOR_NAMES?: readonly string[] };
  return [...(module.COLOR_NAMES ?? [])];
}

/**
 * A complete kept environment (its HAProxy and exactly its live tasks
 * running) is the next release's blue; anything else that is up must go
 * first.
 */
async function keptEnvironment(
  engine: ContainerEngine,
  environment: RehearsalEnvironment,
): Promise<KeptState | undefined> {
  const containers = await rehearsalContainers(engine, environment);
  const haproxy = await runningHaproxy(environment);
  if (containers.length === 0 && haproxy === undefined) return undefined;
  const state = await readState(environment);
  const running = await rehearsalContainers(engine, environment, 'running');
  const live = (state?.targets ?? [])
    .filter((target) => target.taskSet === state?.liveSlot)
    .map((target) => `${environment.key}-${target.name}`);
  const complete =
    state !== undefined &&
    haproxy !== undefined &&
    live.length > 0 &&
    containers.length === live.length &&
    live.every((name) => running.includes(name));
  if (!complete) {
    throw new UsageError(
      `a rehearsal environment is partly up (${[...containers, ...(haproxy ? [`haproxy pid ${haproxy}`] : [])].join(', ')}): run \`pnpm rehearse down\` first`,
    );
  }
  return state;
}

/**
 * The tools (a container engine, HAProxy, openssl where a listener is
 * HTTPS), the flags, the infra configuration and the synthesized app,
 * checked before the build: a missing piece is a clear message and exit
 * code 2, not a failure halfway.
 */
export async function preflight(options: PreflightOptions): Promise<Preflight> {
  const { repoRoot, definition } = options;
  const environment = rehearsalEnvironment(repoRoot);
  const engine = await detectEngine({ prefer: options.engine });
  if (!(await haproxyVersion())) {
    throw new MissingToolError('haproxy is not installed (Debian: apt-get install haproxy)');
  }
  const kept = await keptEnvironment(engine, environment);

  const infra: InfraSettings = await loadInfraSettings(
    repoRoot,
    definition,
    options.infraEnvironment ?? 'staging',
  ).catch((error: Error) => {
    throw new UsageError(`--env ${options.infraEnvironment ?? 'staging'}: ${error.message}`);
  });
  // Blue shows the definition's color, or what a kept environment serves. Green
  // shows another: green, or back to the definition's after a kept green.
  const colors = await appColors(repoRoot, definition);
  const definitionColor = definition.container.environment.APP_COLOR ?? '';
  const blueColor = kept?.live.color ?? definitionColor;
  const preferred = [definitionColor, 'green', ...colors].filter(
    (color) => color !== blueColor && colors.includes(color),
  );
  const greenColor = options.color ?? preferred[0] ?? '';
  if (!colors.includes(greenColor)) {
    throw new UsageError(
      `--color ${JSON.stringify(greenColor)}: expected one of ${colors.join(', ')}`,
    );
  }
  if (greenColor === blueColor) {
    throw new UsageError(
      `--color ${greenColor}: the original task set already serves ${blueColor}; pick another so the switch shows`,
    );
  }
  const strategy = options.strategy ?? infra.strategy;
  // The synthesized app (the hooks, the build's environment, the listeners),
  // and openssl when one of its listeners is HTTPS: before the build.
  const app = await readSynthesizedApp(join(repoRoot, 'infra', 'cdk.out')).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  // The listeners as the synthesized app defines them: TLS where the ALB's is HTTPS.
  const listenerTls = (test: boolean) =>
    app.listeners.some(
      (listener) =>
        (listener.port === infra.testListenerPort) === test && listener.protocol === 'HTTPS',
    );
  if (
    (listenerTls(false) || listenerTls(true)) &&
    (await exec('openssl', ['version'])).code !== 0
  ) {
    throw new MissingToolError('openssl is not installed (Debian: apt-get install openssl)');
  }
  const infrastructureValues: Record<string, string> = {};
  for (const name of releaseVariableNames(definition)) {
    const value = literalValue(app, app.buildEnvironment[name]);
    if (value !== undefined) infrastructureValues[name] = value;
  }
  return {
    engine,
    environment,
    infra,
    colors: { blue: blueColor, green: greenColor },
    strategy,
    app,
    tls: { production: listenerTls(false), test: listenerTls(true) },
    infrastructureValues,
    ...(kept ? { kept } : {}),
  };
}
