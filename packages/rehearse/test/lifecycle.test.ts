import { describe, expect, it } from 'vitest';
import {
  appSpecHooks,
  runRelease,
  type HookEventName,
  type ReleasePlan,
} from '../src/lifecycle.js';
import { shiftSteps } from '../src/settings.js';
import { fakeClock, fakePlatform } from './support/release-fakes.js';

function plan(overrides: Partial<ReleasePlan> = {}): ReleasePlan {
  return {
    hooks: new Map<HookEventName, string>([['AfterAllowTestTraffic', 'smoke-test']]),
    steps: shiftSteps({ type: 'all-at-once' }),
    healthGateSeconds: 20,
    healthGraceSeconds: 5,
    terminationWaitSeconds: 5,
    alarm: { thresholds: { loadBalancer: 5, targets: 5 }, periodSeconds: 1, periods: 2 },
    ...overrides,
  };
}

function observer() {
  const phases: string[] = [];
  return {
    phases,
    observer: { finished: () => undefined, phase: (name: string) => phases.push(name) },
  };
}

describe('runRelease', () => {
  it("runs CodeDeploy's ECS lifecycle in order and stops blue after the termination wait", async () => {
    const { platform, calls } = fakePlatform({ healthyAfter: 3 });
    const { phases, observer: watcher } = observer();
    const result = await runRelease(plan(), platform, watcher, { clock: fakeClock() });
    expect(result.outcome).toBe('succeeded');
    expect(result.events.map((e) => [e.name, e.result])).toEqual([
      ['BeforeInstall', 'Skipped'],
      ['Install', 'Succeeded'],
      ['AfterInstall', 'Skipped'],
      ['AllowTestTraffic', 'Succeeded'],
      ['AfterAllowTestTraffic', 'Succeeded'],
      ['BeforeAllowTraffic', 'Skipped'],
      ['AllowTraffic', 'Succeeded'],
      ['AfterAllowTraffic', 'Skipped'],
      ['Wait', 'Succeeded'],
      ['TerminateOriginalTaskSet', 'Succeeded'],
    ]);
    expect(calls).toEqual([
      'startGreen',
      'routeTest green',
      'hook AfterAllowTestTraffic smoke-test',
      'share 100',
      'terminate blue',
    ]);
    expect(phases).toEqual(['install', 'test-traffic', 'shift', 'termination']);
    expect(result.greenHealthySeconds).toBeCloseTo(0.75);
  });

  it('keeps blue for the termination wait before terminating it', async () => {
    const clock = fakeClock();
    const { platform } = fakePlatform();
    const result = await runRelease(
      plan({ terminationWaitSeconds: 300 }),
      platform,
      observer().observer,
      { clock },
    );
    const wait = result.events.find((e) => e.name === 'Wait')!;
    expect(wait.durationSeconds).toBeGreaterThanOrEqual(300);
  });

  it('shifts a canary config in two steps, waiting the interval between them', async () => {
    const clock = fakeClock();
    const { platform, calls } = fakePlatform();
    const steps = shiftSteps({ type: 'canary', percent: 10, intervalMinutes: 5 });
    const result = await runRelease(
      plan({ steps, terminationWaitSeconds: 0 }),
      platform,
      observer().observer,
      { clock },
    );
    expect(calls.filter((c) => c.startsWith('share'))).toEqual(['share 10', 'share 100']);
    expect(result.events.find((e) => e.name === 'AllowTraffic')!.detail).toBe(
      'production → replacement: 10 % (green at 10), 100 % (green at 100)',
    );
    expect(result.shiftSeconds).toBeGreaterThanOrEqual(300);
  });

  it('fails when a hook reports Failed: rolls back before production traffic moves', async () => {
    const { platform, calls } = fakePlatform({ hookStatus: { AfterAllowTestTraffic: 'Failed' } });
    const { phases, observer: watcher } = observer();
    const result = await runRelease(plan(), platform, watcher, { clock: fakeClock() });
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toContain(
      'AfterAllowTestTraffic hook smoke-test failed: version mismatch',
    );
    expect(calls).not.toContain('share 100');
    expect(calls.slice(-3)).toEqual(['share 0', 'routeTest blue', 'terminate green']);
    expect(result.events.at(-1)).toMatchObject({ name: 'Rollback', result: 'Succeeded' });
    expect(phases.at(-1)).toBe('rollback');
  });

  it('fails when green never becomes healthy within the health gate', async () => {
    const clock = fakeClock();
    const { platform, calls } = fakePlatform({ healthyAfter: Infinity });
    const result = await runRelease(plan(), platform, observer().observer, { clock });
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toContain('green not healthy after 25 s (health gate 20 s');
    expect(clock.elapsed()).toBeGreaterThanOrEqual(25_000);
    expect(calls).not.toContain('routeTest green');
  });

  it("fails when green's 5xx breach the alarm threshold for the evaluation periods", async () => {
    const { platform, calls } = fakePlatform({ fiveHundredsPerPoll: 10 });
    const steps = shiftSteps({ type: 'linear', percent: 50, intervalMinutes: 1 });
    const result = await runRelease(plan({ steps }), platform, observer().observer, {
      clock: fakeClock(),
    });
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toMatch(
      /^Target5xxAlarm in ALARM: \d+ target 5xx in the last period \(threshold 5, 2 periods in a row\)/,
    );
    expect(calls).toContain('share 50');
    expect(calls).not.toContain('share 100');
    expect(calls).toContain('terminate green');
  });

  it('keeps going when green stops while it serves production (ECS replaces it; no alarm, no rollback)', async () => {
    const { platform, calls } = fakePlatform({ greenStopsAfterShift: true });
    const result = await runRelease(plan(), platform, observer().observer, { clock: fakeClock() });
    expect(result.outcome).toBe('succeeded');
    expect(calls.slice(-2)).toEqual(['share 100', 'terminate blue']);
  });

  it('keeps waiting for the health gate when green stops before it is healthy', async () => {
    const { platform } = fakePlatform({ greenStoppedPolls: 4, healthyAfter: 6 });
    const result = await runRelease(plan(), platform, observer().observer, { clock: fakeClock() });
    expect(result.outcome).toBe('succeeded');
    expect(result.greenHealthySeconds).toBeCloseTo(1.5);
  });

  it("rolls back a crashing green only when the load balancer's 5xx alarm fires, after its evaluation periods", async () => {
    const clock = fakeClock();
    const { platform, calls } = fakePlatform({
      greenStopsAfterShift: true,
      loadBalancer5xx: { perReading: 20, readings: 100 },
    });
    const shares: number[] = [];
    const setShare = platform.setProductionShare.bind(platform);
    platform.setProductionShare = (percent) => {
      shares.push(clock.now());
      return setShare(percent);
    };
    const result = await runRelease(
      plan({ terminationWaitSeconds: 300 }),
      platform,
      observer().observer,
      { clock },
    );
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toBe(
      'LoadBalancer5xxAlarm in ALARM: 20 load balancer 5xx in the last period (threshold 5, 2 periods in a row)',
    );
    expect(calls.filter((c) => c.startsWith('share'))).toEqual(['share 100', 'share 0']);
    // Two one-second periods in breach, the first possibly begun before the
    // shift (periods are the clock's, not the crash's): after more than one
    // period, within two and a poll.
    const [shifted, rolledBack] = shares;
    expect(rolledBack! - shifted!).toBeGreaterThan(1_000);
    expect(rolledBack! - shifted!).toBeLessThanOrEqual(2_250);
  });

  it('rolls back on the alarm while a hook is still running (CodeDeploy does not wait for its report)', async () => {
    const { platform, calls } = fakePlatform({
      loadBalancer5xx: { perReading: 20, readings: 100 },
      hangingHooks: ['AfterAllowTraffic'],
    });
    const hooks = new Map<HookEventName, string>([['AfterAllowTraffic', 'production-check']]);
    const result = await runRelease(plan({ hooks }), platform, observer().observer, {
      clock: fakeClock(),
    });
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toMatch(/^LoadBalancer5xxAlarm in ALARM/);
    expect(result.events.find((e) => e.name === 'AfterAllowTraffic')?.result).toBe('Failed');
    expect(calls.slice(-3)).toEqual(['share 0', 'routeTest blue', 'terminate green']);
  });

  it('keeps going when the 5xx breach only one period (the alarm needs two in a row)', async () => {
    const { platform } = fakePlatform({
      greenStopsAfterShift: true,
      loadBalancer5xx: { perReading: 20, readings: 1 },
    });
    const result = await runRelease(plan(), platform, observer().observer, { clock: fakeClock() });
    expect(result.outcome).toBe('succeeded');
  });

  it("reports blue's drain as the time terminate took on the clock, not as configured", async () => {
    const clock = fakeClock();
    const { platform } = fakePlatform({ clock, terminateMs: 7_300 });
    const result = await runRelease(plan(), platform, observer().observer, { clock });
    expect(result.drainSeconds).toBe(7.3);
  });

  it('fails when the user interrupts, and still rolls back', async () => {
    const interrupt = new AbortController();
    const { platform, calls } = fakePlatform();
    const clock = fakeClock();
    const sleeping = clock.sleep.bind(clock);
    clock.sleep = (ms) => {
      interrupt.abort();
      return sleeping(ms);
    };
    const result = await runRelease(
      plan({ terminationWaitSeconds: 300 }),
      platform,
      observer().observer,
      {
        clock,
        signal: interrupt.signal,
      },
    );
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toBe('interrupted by the user');
    expect(calls.slice(-3)).toEqual(['share 0', 'routeTest blue', 'terminate green']);
  });
});

describe('shiftSteps', () => {
  it('creates one step for all-at-once', () => {
    expect(shiftSteps({ type: 'all-at-once' })).toEqual([
      { greenPercent: 100, waitSecondsAfter: 0 },
    ]);
  });

  it('creates the canary percentage, the interval, then the rest', () => {
    expect(shiftSteps({ type: 'canary', percent: 10, intervalMinutes: 5 })).toEqual([
      { greenPercent: 10, waitSecondsAfter: 300 },
      { greenPercent: 100, waitSecondsAfter: 0 },
    ]);
  });

  it('creates linear steps up to 100, the last one capped', () => {
    expect(shiftSteps({ type: 'linear', percent: 30, intervalMinutes: 1 })).toEqual([
      { greenPercent: 30, waitSecondsAfter: 60 },
      { greenPercent: 60, waitSecondsAfter: 60 },
      { greenPercent: 90, waitSecondsAfter: 60 },
      { greenPercent: 100, waitSecondsAfter: 0 },
    ]);
  });
});

describe('appSpecHooks', () => {
  it('reads every hook of the AppSpec by event', () => {
    const hooks = appSpecHooks({
      version: 0,
      Resources: [],
      Hooks: [{ AfterAllowTestTraffic: 'smoke' }, { AfterAllowTraffic: 'production-check' }],
    });
    expect([...hooks]).toEqual([
      ['AfterAllowTestTraffic', 'smoke'],
      ['AfterAllowTraffic', 'production-check'],
    ]);
  });
});
