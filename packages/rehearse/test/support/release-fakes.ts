import type { Clock } from '../../src/clock.js';
import type { TaskControl } from '../../src/faults.js';
import type { TaskSetColor } from '../../src/haproxy.js';
import type { HookEventName, HookOutcome, ReleasePlatform } from '../../src/lifecycle.js';
import type {
  NativeHookPayload,
  NativeHookResult,
  NativeHookStage,
  ServiceDeploymentStatus,
} from '../../src/native-stages.js';

/** ECS's scheduler, as the release step starts and stops it. */
export interface FakeScheduler {
  startScheduler(): void;
  stopScheduler(): Promise<void>;
}

/** A clock that only moves when the release sleeps; a release still waiting after a day fails. */
export function fakeClock(): Clock & { elapsed(): number } {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const start = now;
  return {
    now: () => now,
    sleep: (ms) => {
      now += ms;
      if (now - start > 86_400_000) return Promise.reject(new Error('still waiting after a day'));
      return Promise.resolve();
    },
    elapsed: () => now - start,
  };
}

export interface FakeOptions {
  /** Calls of greenState() before green reports healthy; Infinity: never. */
  healthyAfter?: number;
  hookStatus?: Partial<Record<HookEventName, HookOutcome['status']>>;
  /** Target 5xx per http5xxCounts() reading once green has production traffic. */
  fiveHundredsPerPoll?: number;
  /** Load balancer 5xx per reading once green has production traffic, for this many readings. */
  loadBalancer5xx?: { perReading: number; readings: number };
  /** greenState() says stopped once green serves production (the platform's ECS replaces tasks). */
  greenStopsAfterShift?: boolean;
  /** greenState() says stopped for this many polls before green is healthy. */
  greenStoppedPolls?: number;
  /** Hooks that never report (a Lambda that hangs). */
  hangingHooks?: HookEventName[];
  /** The clock the platform's own waits move (terminate's drain). */
  clock?: Clock;
  /** How long terminate() takes on that clock. */
  terminateMs?: number;
  /**
   * ECS hooks' answers by stage, one per invocation in turn (the last one
   * repeats); SUCCEEDED where none is given.
   */
  nativeAnswers?: Partial<Record<NativeHookStage, readonly Omit<NativeHookResult, 'detail'>[]>>;
}

/** One ECS hook invocation the fake platform saw. */
export interface SeenNativeInvocation {
  readonly functionName: string;
  readonly payload: NativeHookPayload;
  readonly deploymentStatus: ServiceDeploymentStatus;
  /** The platform clock's time (ms) at the invocation, when a clock is given. */
  readonly at?: number;
}

export function fakePlatform(options: FakeOptions = {}) {
  const calls: string[] = [];
  const native: SeenNativeInvocation[] = [];
  const answered = new Map<NativeHookStage, number>();
  let polls = 0;
  let share = 0;
  let targets5xx = 0;
  let loadBalancer5xx = 0;
  let loadBalancerReadings = 0;
  const overrides = new Map<TaskSetColor, Readonly<Record<string, string>>>();
  const replacementListeners: ((set: TaskSetColor, task: string) => void)[] = [];
  const platform: ReleasePlatform & TaskControl & FakeScheduler = {
    startGreen: () => {
      calls.push('startGreen');
      return Promise.resolve();
    },
    greenState: () => {
      polls++;
      // The app listens where the task definition does not map: no check ever passes.
      if (overrides.get('green')?.PORT) return Promise.resolve('starting');
      if (share > 0 && options.greenStopsAfterShift) return Promise.resolve('stopped');
      if (polls <= (options.greenStoppedPolls ?? 0)) return Promise.resolve('stopped');
      return Promise.resolve(polls > (options.healthyAfter ?? 0) ? 'healthy' : 'starting');
    },
    routeTest: (set: TaskSetColor) => {
      calls.push(`routeTest ${set}`);
      return Promise.resolve();
    },
    setProductionShare: (percent) => {
      share = percent;
      calls.push(`share ${percent}`);
      return Promise.resolve();
    },
    http5xxCounts: () => {
      if (share > 0) {
        targets5xx += options.fiveHundredsPerPoll ?? 0;
        if (options.loadBalancer5xx && loadBalancerReadings++ < options.loadBalancer5xx.readings)
          loadBalancer5xx += options.loadBalancer5xx.perReading;
      }
      return Promise.resolve({ loadBalancer: loadBalancer5xx, targets: targets5xx });
    },
    terminate: async (set) => {
      calls.push(`terminate ${set}`);
      await options.clock?.sleep(options.terminateMs ?? 0);
      return `${set} stopped`;
    },
    sampleProduction: () => Promise.resolve(`green at ${share}`),
    overrideEnvironment: (set, variables) => {
      calls.push(`environment ${set} ${JSON.stringify(variables)}`);
      overrides.set(set, variables);
    },
    taskNames: (set) => [`${set}-1`, `${set}-2`],
    killTasks: (names) => {
      calls.push(`kill ${names.join(' ')}`);
      return Promise.resolve();
    },
    onReplacement: (listener) => {
      replacementListeners.push(listener);
    },
    startScheduler: () => {
      calls.push('startScheduler');
    },
    stopScheduler: () => {
      calls.push('stopScheduler');
      return Promise.resolve();
    },
    runHook: (event, functionName) => {
      calls.push(`hook ${event} ${functionName}`);
      if (options.hangingHooks?.includes(event)) return new Promise<HookOutcome>(() => undefined);
      const status = options.hookStatus?.[event] ?? 'Succeeded';
      return Promise.resolve({ status, detail: status === 'Failed' ? 'version mismatch' : 'ok' });
    },
    invokeNativeHook: ({ functionName, payload, deploymentStatus }) => {
      const stage = payload.lifecycleStage;
      calls.push(`native ${stage} ${deploymentStatus} ${functionName}`);
      native.push({
        functionName,
        payload,
        deploymentStatus,
        ...(options.clock ? { at: options.clock.now() } : {}),
      });
      const answers = options.nativeAnswers?.[stage] ?? [];
      const index = answered.get(stage) ?? 0;
      answered.set(stage, index + 1);
      const answer = answers[Math.min(index, answers.length - 1)] ?? { hookStatus: 'SUCCEEDED' };
      return Promise.resolve({ ...answer, detail: `${stage} answer ${index + 1}` });
    },
  };
  /** What ECS's scheduler does when a task stopped: starts another and tells the listeners. */
  const replace = (set: TaskSetColor, task: string) => {
    for (const listener of replacementListeners) listener(set, task);
  };
  return { platform, calls, replace, native };
}

/**
 * A clock whose sleepers wake only when the test moves it: what is due at
 * a time happens when `advance` passes it, in order.
 */
export function manualClock(): Clock & { advance(ms: number): Promise<void> } {
  let now = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms) => new Promise((resolve) => sleepers.push({ at: now + ms, wake: resolve })),
    advance: async (ms) => {
      now += ms;
      for (const sleeper of sleepers.filter((s) => s.at <= now)) {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        sleeper.wake();
      }
      // Let what woke run to its next wait.
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}
