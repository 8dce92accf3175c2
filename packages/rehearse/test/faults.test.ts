import { describe, expect, it } from 'vitest';
import { CRASH_AFTER_MS, withFaults } from '../src/faults.js';
import { runRelease, type HookEventName, type ReleasePlan } from '../src/lifecycle.js';
import type { LocalRelease } from '../src/render.js';
import { shiftSteps } from '../src/settings.js';
import { fakeClock, fakePlatform, manualClock } from './support/release-fakes.js';

const release = (tag: string) =>
  ({
    imageUri: `repo:${tag}`,
    taskDefinition: {
      containerDefinitions: [{ name: 'app', portMappings: [{ containerPort: 8080 }] }],
    },
  }) as unknown as LocalRelease;
const releases = { blue: release('v1.baseline'), green: release('v1') };

const plan: ReleasePlan = {
  hooks: new Map<HookEventName, string>([['AfterAllowTestTraffic', 'smoke-test']]),
  steps: shiftSteps({ type: 'all-at-once' }),
  healthGateSeconds: 20,
  healthGraceSeconds: 5,
  terminationWaitSeconds: 5,
  alarm: { thresholds: { loadBalancer: 5, targets: 5 }, periodSeconds: 1, periods: 2 },
};
const observer = { finished: () => undefined, phase: () => undefined };

describe('withFaults', () => {
  it('is the platform itself without a fault', () => {
    const { platform } = fakePlatform();
    expect(withFaults(platform, undefined, { releases, log: () => undefined })).toBe(platform);
  });

  it('fault smoke: AllowTestTraffic leaves the test listener on blue, and nothing else changes', async () => {
    const { platform, calls } = fakePlatform();
    const log: string[] = [];
    const faulty = withFaults(platform, 'smoke', { releases, log: (line) => log.push(line) });
    const result = await runRelease(plan, faulty, observer, { clock: fakeClock() });
    expect(calls).toEqual([
      'startGreen',
      'routeTest blue',
      'hook AfterAllowTestTraffic smoke-test',
      'share 100',
      'terminate blue',
    ]);
    expect(result.outcome).toBe('succeeded');
    expect(log).toEqual(['fault smoke: the test listener stays on the original task set']);
  });

  it('fault smoke: the test listener forwards to no target when blue serves the same version', async () => {
    const { platform, calls } = fakePlatform();
    const same = { blue: release('v1'), green: release('v1') };
    const faulty = withFaults(platform, 'smoke', { releases: same, log: () => undefined });
    await faulty.routeTest('green');
    await faulty.routeTest('blue');
    expect(calls).toEqual(['routeTest none', 'routeTest blue']);
  });

  it('fault unhealthy: Install starts green on another port than the container port, and the release rolls back', async () => {
    const { platform, calls } = fakePlatform();
    const faulty = withFaults(platform, 'unhealthy', { releases, log: () => undefined });
    const result = await runRelease(plan, faulty, observer, { clock: fakeClock() });
    expect(calls.slice(0, 2)).toEqual(['environment green {"PORT":"8081"}', 'startGreen']);
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toBe(
      'green not healthy after 25 s (health gate 20 s, plus one check timeout)',
    );
    expect(calls).not.toContain('routeTest green');
  });

  it("fault crash: kills green's tasks a second after production traffic reaches them, replacements included", async () => {
    const clock = manualClock();
    const { platform, calls, replace } = fakePlatform();
    const log: string[] = [];
    const faulty = withFaults(platform, 'crash', {
      releases,
      log: (line) => log.push(line),
      clock,
    });
    await faulty.startGreen();
    replace('green', 'green-1');
    await clock.advance(CRASH_AFTER_MS);
    expect(calls.filter((call) => call.startsWith('kill'))).toEqual([]);

    await faulty.setProductionShare(10);
    await clock.advance(CRASH_AFTER_MS - 1);
    expect(calls.filter((call) => call.startsWith('kill'))).toEqual([]);
    await clock.advance(1);
    expect(calls.filter((call) => call.startsWith('kill'))).toEqual(['kill green-1 green-2']);
    expect(log).toEqual(['fault crash: green-1, green-2 killed (SIGKILL)']);

    replace('blue', 'blue-1');
    replace('green', 'green-2');
    await clock.advance(CRASH_AFTER_MS);
    expect(calls.filter((call) => call.startsWith('kill'))).toEqual([
      'kill green-1 green-2',
      'kill green-2',
    ]);
  });

  it('fault crash: moving production back or terminating green calls off the crashes still to come', async () => {
    const clock = manualClock();
    const { platform, calls, replace } = fakePlatform();
    const faulty = withFaults(platform, 'crash', { releases, log: () => undefined, clock });
    await faulty.setProductionShare(100);
    await faulty.setProductionShare(0);
    await clock.advance(CRASH_AFTER_MS);
    await faulty.setProductionShare(50);
    replace('green', 'green-1');
    await faulty.terminate('green');
    await clock.advance(CRASH_AFTER_MS);
    expect(calls.filter((call) => call.startsWith('kill'))).toEqual([]);
    expect(calls).toContain('terminate green');
  });
});
