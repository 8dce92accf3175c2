import { realClock, type Clock } from './clock.js';
import type { TaskSetColor } from './haproxy.js';
import type { ReleasePlatform } from './lifecycle.js';
import type { LocalRelease } from './render.js';
import { soleContainer } from './task-run.js';

/** Failures the rehearsal can inject without changing the app. */
export const FAULTS = ['smoke', 'unhealthy', 'crash'] as const;
export type Fault = (typeof FAULTS)[number];

/** What a fault reaches beyond the release port: the tasks themselves, as ECS runs them. */
export interface TaskControl {
  /** Variables over the task definition's environment for a task set's tasks started from now on, replacements included. */
  overrideEnvironment(set: TaskSetColor, variables: Readonly<Record<string, string>>): void;
  /** The names of a task set's tasks. */
  taskNames(set: TaskSetColor): string[];
  /** Kills tasks at once (SIGKILL), as a crash would. */
  killTasks(names: readonly string[]): Promise<void>;
  /** Calls `listener` each time ECS's scheduler starts a task in place of one that stopped. */
  onReplacement(listener: (set: TaskSetColor, task: string) => void): void;
}

export interface FaultOptions {
  /** The release each part runs: `smoke` compares their images, `unhealthy` reads green's container port. */
  readonly releases: Readonly<Record<TaskSetColor, LocalRelease>>;
  readonly log: (line: string) => void;
  /** Times the crash. @default the real clock */
  readonly clock?: Clock;
}

/** How long a task of a `crash` release serves production before it is killed. */
export const CRASH_AFTER_MS = 1_000;

type FaultyPlatform = ReleasePlatform & TaskControl;
type Decorator = (platform: FaultyPlatform, options: FaultOptions) => Partial<ReleasePlatform>;

/**
 * `smoke`: AllowTestTraffic leaves the test listener on the original task
 * set (a stale listener: the smoke test sees the old version), or, where
 * blue serves the same version, without any target.
 */
const staleTestListener: Decorator = (platform, { releases, log }) => ({
  routeTest: async (set) => {
    if (set !== 'green') return platform.routeTest(set);
    // A stale listener shows itself only where blue serves another version.
    const stale = releases.blue.imageUri !== releases.green.imageUri;
    log(
      stale
        ? 'fault smoke: the test listener stays on the original task set'
        : 'fault smoke: the test listener forwards to no target (blue serves the same version)',
    );
    await platform.routeTest(stale ? 'blue' : 'none');
  },
});

/**
 * `unhealthy`: Install starts green with the app listening on another port
 * than the task definition's container port, so health checks never pass.
 */
const wrongPort: Decorator = (platform, { releases }) => ({
  startGreen: async () => {
    const container = soleContainer(releases.green.taskDefinition);
    // The app reads PORT; the task definition maps containerPort.
    const port = (container.portMappings?.[0]?.containerPort ?? 0) + 1;
    platform.overrideEnvironment('green', { PORT: String(port) });
    await platform.startGreen();
  },
});

/**
 * `crash`: each of green's tasks is killed a second after production
 * traffic reaches it, the replacements ECS starts included (a release
 * that crashes under production load). Moving production back, or
 * terminating green, calls off the crashes still to come.
 */
const crashUnderLoad: Decorator = (platform, { log, clock = realClock }) => {
  let share = 0;
  let round = 0;
  const crashLater = (names: readonly string[]) => {
    const scheduled = round;
    void clock.sleep(CRASH_AFTER_MS).then(() => {
      if (scheduled !== round) return;
      log(`fault crash: ${names.join(', ')} killed (SIGKILL)`);
      void platform.killTasks(names).catch(() => undefined);
    });
  };
  platform.onReplacement((set, task) => {
    if (set === 'green' && share > 0) crashLater([task]);
  });
  return {
    setProductionShare: async (greenPercent) => {
      await platform.setProductionShare(greenPercent);
      const first = share === 0 && greenPercent > 0;
      share = greenPercent;
      if (first) crashLater(platform.taskNames('green'));
      if (greenPercent === 0) round++;
    },
    terminate: (set) => {
      if (set === 'green') round++;
      return platform.terminate(set);
    },
  };
};

const DECORATORS: Readonly<Record<Fault, Decorator>> = {
  smoke: staleTestListener,
  unhealthy: wrongPort,
  crash: crashUnderLoad,
};

/**
 * The platform with a fault injected where it would happen on AWS (the test
 * listener's rule, the task set's start, the tasks under production
 * traffic); without a fault, the platform itself.
 */
export function withFaults(
  platform: FaultyPlatform,
  fault: Fault | undefined,
  options: FaultOptions,
): ReleasePlatform {
  if (!fault) return platform;
  const port: ReleasePlatform = {
    startGreen: () => platform.startGreen(),
    greenState: () => platform.greenState(),
    routeTest: (set) => platform.routeTest(set),
    setProductionShare: (greenPercent) => platform.setProductionShare(greenPercent),
    http5xxCounts: () => platform.http5xxCounts(),
    terminate: (set) => platform.terminate(set),
    runHook: (event, functionName) => platform.runHook(event, functionName),
    ...(platform.invokeNativeHook
      ? { invokeNativeHook: (invocation) => platform.invokeNativeHook!(invocation) }
      : {}),
    ...(platform.sampleProduction ? { sampleProduction: () => platform.sampleProduction!() } : {}),
  };
  return { ...port, ...DECORATORS[fault](platform, options) };
}
