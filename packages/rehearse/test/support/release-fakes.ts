import type { Clock } from '../../src/clock.js';
import type { TaskSetColor } from '../../src/haproxy.js';
import type { HookEventName, HookOutcome, ReleasePlatform } from '../../src/lifecycle.js';

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
}

export function fakePlatform(options: FakeOptions = {}) {
  const calls: string[] = [];
  let polls = 0;
  let share = 0;
  let targets5xx = 0;
  let loadBalancer5xx = 0;
  let loadBalancerReadings = 0;
  const platform: ReleasePlatform = {
    startGreen: () => {
      calls.push('startGreen');
      return Promise.resolve();
    },
    greenState: () => {
      polls++;
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
    runHook: (event, functionName) => {
      calls.push(`hook ${event} ${functionName}`);
      if (options.hangingHooks?.includes(event)) return new Promise<HookOutcome>(() => undefined);
      const status = options.hookStatus?.[event] ?? 'Succeeded';
      return Promise.resolve({ status, detail: status === 'Failed' ? 'version mismatch' : 'ok' });
    },
  };
  return { platform, calls };
}
