import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { releaseVariableNames } from '@webapp-color/deploy-specs';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { tsImport } from 'tsx/esm/api';
import { detectEngine, MissingToolError, type ContainerEngine, type EngineName } from './engine.js';
import {
  rehearsalContainers,
  rehearsalEnvironment,
  runningHaproxy,
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
}

async function appColors(repoRoot: string, definition: DeliveryDefinition): Promise<string[]> {
  const url = pathToFileURL(join(repoRoot, definition.app.directory, 'src', 'colors.ts')).href;
  const module = (await tsImport(url, import.meta.url)) as { COLOR_NAMES?: readonly string[] };
  return [...(module.COLOR_NAMES ?? [])];
}

async function refuseWhenUp(
  engine: ContainerEngine,
  environment: RehearsalEnvironment,
): Promise<void> {
  const containers = await rehearsalContainers(engine, environment);
  const haproxy = await runningHaproxy(environment);
  if (containers.length > 0 || haproxy !== undefined) {
    throw new UsageError(
      `a rehearsal environment is up (${[...containers, ...(haproxy ? [`haproxy pid ${haproxy}`] : [])].join(', ')}): run \`pnpm rehearse down\` first`,
    );
  }
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
  await refuseWhenUp(engine, environment);

  const infra: InfraSettings = await loadInfraSettings(
    repoRoot,
    definition,
    options.infraEnvironment ?? 'staging',
  ).catch((error: Error) => {
    throw new UsageError(`--env ${options.infraEnvironment ?? 'staging'}: ${error.message}`);
  });
  const blueColor = definition.container.environment.APP_COLOR ?? '';
  const colors = await appColors(repoRoot, definition);
  // Green is released as green, unless that is what blue already shows.
  const greenColor =
    options.color ??
    (blueColor !== 'green' && colors.includes('green')
      ? 'green'
      : colors.find((c) => c !== blueColor)) ??
    '';
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
  };
}
