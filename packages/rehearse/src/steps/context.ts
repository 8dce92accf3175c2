import { join } from 'node:path';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { engineExec, type EngineName } from '../engine.js';
import { tearDown } from '../environment.js';
import type { Fault } from '../faults.js';
import type { RehearsalRecording } from '../load-series.js';
import type { TaskSetColor } from '../haproxy.js';
import { defaultCacheDirectory } from '../pipeline/push.js';
import { preflight, UsageError, type Preflight } from '../preflight.js';
import type { DeploymentController, DeploymentStrategy } from '../settings.js';
import { Cleanups } from './cleanups.js';

export interface RehearseOptions {
  readonly repoRoot: string;
  readonly definition: DeliveryDefinition;
  /** The infra environment (see @webapp-color/infra/environments). @default staging, or the first on `controller` */
  readonly infraEnvironment?: string;
  /** What drives the release. @default the environment's deployment.controller */
  readonly controller?: DeploymentController;
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
  /** Filled in with the series the release report draws (`--report`). */
  readonly recording?: RehearsalRecording;
  /** `--approve`: every gate (the approval, the pause) continues at once. */
  readonly approve?: boolean;
}

/** A minute of configured waiting becomes a second unless real timings are asked for. */
export const SCALED_SECONDS_PER_MINUTE = 1;

/** What every step of one rehearsal reads: its options and what preflight settled. */
export interface RehearsalContext extends Preflight {
  readonly options: RehearseOptions;
  /** When the rehearsal began (ms). */
  readonly began: number;
  /** Seconds of waiting per configured second. */
  readonly scale: number;
  readonly cacheDirectory: string;
  /**
   * Which slot (target names, release folder) plays blue and green: on a
   * kept environment the live slot is blue, as CodeDeploy alternates target groups.
   */
  readonly slots: Readonly<Record<TaskSetColor, TaskSetColor>>;
  /** Local names of the images pulled from the stand-in registry; they go at the end. */
  readonly localTags: string[];
  readonly cleanups: Cleanups;
}

/** Where a slot's release (task definition, AppSpec, image) is written. */
export function releaseDirectory(context: RehearsalContext, slot: TaskSetColor): string {
  return join(context.environment.directory, `release-${slot}`);
}

/**
 * Checks the machine and the options (preflight) and settles what every
 * step reads; from here on, the environment is removed at the end.
 */
export async function prepare(options: RehearseOptions): Promise<RehearsalContext> {
  const began = Date.now();
  const checked = await preflight(options);
  const previous = checked.kept;
  if (
    previous &&
    options.productionPort &&
    options.productionPort !== previous.listeners.production.port
  ) {
    throw new UsageError(
      `--port ${options.productionPort}: the kept environment serves production on ${previous.listeners.production.port}; drop --port or run \`pnpm rehearse down\` first`,
    );
  }
  const context: RehearsalContext = {
    ...checked,
    options,
    began,
    scale: options.realTimings ? 1 : SCALED_SECONDS_PER_MINUTE / 60,
    cacheDirectory: options.cacheDirectory ?? defaultCacheDirectory(),
    slots:
      previous?.liveSlot === 'green'
        ? { blue: 'green', green: 'blue' }
        : { blue: 'blue', green: 'green' },
    localTags: [],
    cleanups: new Cleanups(),
  };
  const { engine, environment, localTags, cleanups } = context;
  // The images stay in the registry (ECR's stand-in); their local names go, last.
  cleanups.add('local image tags', async () => {
    for (const tag of localTags) await engineExec(engine, ['rmi', tag]).catch(() => undefined);
  });
  cleanups.add('environment', async () => {
    await tearDown(engine, environment);
  });
  return context;
}
