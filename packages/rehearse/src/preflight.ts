import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { releaseVariableNames } from '@webapp-color/deploy-specs';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { COLOR_NAMES } from '@webapp-color/app/colors';
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
import { REGISTRY_PROGRAM } from './pipeline/registry.js';
import type { NativeHook } from './native-stages.js';
import {
  environmentsOn,
  loadInfraSettings,
  type DeploymentController,
  type DeploymentStrategy,
  type InfraSettings,
} from './settings.js';
import {
  literalValue,
  readSynthesizedApp,
  type SynthesizedApp,
  type SynthesizedService,
} from './synthesized.js';

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
  /** What drives the release. @default the environment's deployment.controller */
  readonly controller?: DeploymentController;
  readonly color?: string;
  readonly strategy?: DeploymentStrategy;
  readonly engine?: EngineName;
}

/** Everything checked and read before anything is built or started. */
export interface Preflight {
  readonly engine: ContainerEngine;
  readonly environment: RehearsalEnvironment;
  readonly infra: InfraSettings;
  /** What drives the release: the environment's controller. */
  readonly controller: DeploymentController;
  /** ECS controller: the service's lifecycle hooks as synthesized. */
  readonly nativeHooks: readonly NativeHook[];
  /** ECS controller: the service's PAUSE hook as synthesized (the environment's deployment.pause). */
  readonly nativePause?: NonNullable<InfraSettings['pause']>;
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

/** A program the rehearsal runs, and the Debian package it comes from. */
export interface RequiredTool {
  readonly program: string;
  readonly debianPackage: string;
  readonly neededFor: string;
  readonly present: () => Promise<boolean>;
}

const answers = (command: string, args: readonly string[]) => async () =>
  (await exec(command, args)).code === 0;

/** Everything a rehearsal runs besides the engine (openssl is checked with the listeners). */
export function requiredTools(engine: ContainerEngine): RequiredTool[] {
  return [
    {
      program: 'haproxy',
      debianPackage: 'haproxy',
      neededFor: 'the load balancer',
      present: async () => (await haproxyVersion()) !== undefined,
    },
    {
      program: REGISTRY_PROGRAM,
      debianPackage: 'docker-registry',
      neededFor: 'the image registry standing in for ECR',
      present: answers(REGISTRY_PROGRAM, ['--version']),
    },
    {
      program: 'git',
      debianPackage: 'git',
      neededFor: 'the Source stage (git archive)',
      present: answers('git', ['--version']),
    },
    {
      program: 'tar',
      debianPackage: 'tar',
      neededFor: 'the Source stage',
      present: answers('tar', ['--version']),
    },
    ...(engine.name === 'podman'
      ? [
          {
            program: 'catatonit',
            debianPackage: 'catatonit',
            neededFor: "`podman run --init`, the task definition's initProcessEnabled",
            present: async () =>
              (
                await Promise.all(
                  ['/usr/libexec/podman/catatonit', '/usr/bin/catatonit'].map((path) =>
                    access(path).then(
                      () => true,
                      () => false,
                    ),
                  ),
                )
              ).some(Boolean),
          },
        ]
      : []),
  ];
}

async function missingTools(engine: ContainerEngine): Promise<RequiredTool[]> {
  const tools = requiredTools(engine);
  const present = await Promise.all(tools.map((tool) => tool.present()));
  return tools.filter((_, index) => !present[index]);
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
  const missing = await missingTools(engine);
  if (missing.length > 0) {
    throw new MissingToolError(
      `missing: ${missing.map((tool) => `${tool.program} (${tool.neededFor})`).join(', ')}; install with: apt-get install --no-install-recommends ${[...new Set(missing.map((tool) => tool.debianPackage))].join(' ')}`,
    );
  }
  const kept = await keptEnvironment(engine, environment);

  const infraEnvironment = options.infraEnvironment ?? defaultEnvironment(options.controller);
  let infra: InfraSettings;
  try {
    infra = loadInfraSettings(definition, infraEnvironment);
  } catch (error) {
    throw new UsageError(`--env ${infraEnvironment}: ${(error as Error).message}`);
  }
  const controller = options.controller ?? infra.controller;
  if (controller !== infra.controller) {
    const on = environmentsOn(controller);
    throw new UsageError(
      `--controller ${controller}: environment ${infraEnvironment} is on ${infra.controller} (its deployment.controller), so its synthesized stack has no ${controller} release to rehearse; ${on.length > 0 ? `pick --env ${on.join(' or --env ')}` : `no environment is on ${controller}`}, or drop --controller`,
    );
  }
  // Green is the release as built: the definition's color. Blue shows what a
  // kept environment serves, or (nothing running) the baseline in another
  // color, so the switch shows.
  const colors: readonly string[] = COLOR_NAMES;
  const definitionColor = definition.container.environment.APP_COLOR ?? '';
  const greenColor = definitionColor;
  if (options.color !== undefined && !colors.includes(options.color)) {
    throw new UsageError(
      `--color ${JSON.stringify(options.color)}: expected one of ${colors.join(', ')}`,
    );
  }
  if (options.color !== undefined && options.color === definitionColor) {
    throw new UsageError(
      `--color ${options.color}: the release itself shows ${definitionColor} (the delivery definition's APP_COLOR); pick another for the baseline so the switch shows`,
    );
  }
  if (options.color !== undefined && kept) {
    throw new UsageError(
      `--color ${options.color}: a kept environment's live release is the baseline (${kept.live.color}); run \`pnpm rehearse down\` first to pick its color`,
    );
  }
  const blueColor =
    kept?.live.color ??
    options.color ??
    ['green', ...colors].find((color) => color !== definitionColor && colors.includes(color)) ??
    '';
  const strategy = options.strategy ?? infra.strategy;
  // The synthesized app (the hooks, the build's environment, the listeners),
  // and openssl when one of its listeners is HTTPS: before the build.
  const app = await readSynthesizedApp(join(repoRoot, 'infra', 'cdk.out'), infra.stackNames).catch(
    (error: Error) => {
      throw new UsageError(
        `${error.message}${infraEnvironment === 'staging' ? '' : ` (for --env ${infraEnvironment}: \`pnpm --filter @webapp-color/infra exec cdk synth -c env=${infraEnvironment}\`)`}`,
      );
    },
  );
  const nativeService = app.services.find((service) => service.controller === 'ECS');
  if (controller === 'ecs' && !nativeService) {
    throw new UsageError(
      `--env ${infraEnvironment}: the synthesized stacks ${infra.stackNames.join(', ')} have no AWS::ECS::Service on DeploymentController ECS; synthesize the environment again`,
    );
  }
  const nativePause = controller === 'ecs' ? synthesizedPause(nativeService, infra) : undefined;
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
    controller,
    nativeHooks: controller === 'ecs' ? (nativeService?.lifecycleHooks ?? []) : [],
    ...(nativePause ? { nativePause } : {}),
    colors: { blue: blueColor, green: greenColor },
    strategy,
    app,
    tls: { production: listenerTls(false), test: listenerTls(true) },
    infrastructureValues,
    ...(kept ? { kept } : {}),
  };
}

/** Without --env: staging, or with --controller the first environment on that controller. */
function defaultEnvironment(controller: DeploymentController | undefined): string {
  if (!controller) return 'staging';
  const on = environmentsOn(controller);
  if (on.length === 0) {
    throw new UsageError(
      `--controller ${controller}: no environment in infra/config/index.ts is on ${controller}; add one or give --env`,
    );
  }
  return on[0]!;
}

/**
 * The service's PAUSE hook as synthesized, which must be the environment's
 * deployment.pause (a stale cdk.out is not rehearsed): one stage, its
 * timeout and action.
 */
function synthesizedPause(
  service: SynthesizedService | undefined,
  infra: InfraSettings,
): InfraSettings['pause'] {
  const pauses = service?.pauses ?? [];
  const synthesized = pauses.flatMap((pause) =>
    pause.stages.map((stage) => ({
      stage,
      timeoutMinutes: pause.timeoutMinutes,
      onTimeout: pause.onTimeout,
    })),
  );
  const configured = infra.pause
    ? [
        {
          stage: infra.pause.stage,
          timeoutMinutes: infra.pause.timeoutMinutes,
          onTimeout: infra.pause.onTimeout,
        },
      ]
    : [];
  if (JSON.stringify(synthesized) !== JSON.stringify(configured)) {
    throw new UsageError(
      `--env ${infra.environment}: the synthesized service pauses at ${JSON.stringify(synthesized)} but deployment.pause is ${JSON.stringify(infra.pause ?? null)}; synthesize the environment again (\`pnpm synth\`)`,
    );
  }
  return synthesized[0] as InfraSettings['pause'];
}
