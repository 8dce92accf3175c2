import { describe, expect, it } from 'vitest';
import { runRelease, type HookEventName } from '../src/lifecycle.js';
import type { TrafficPoint } from '../src/load-series.js';
import { shiftSteps } from '../src/settings.js';
import { withTrafficLog } from '../src/traffic-log.js';
import { fakeClock, fakePlatform } from './support/release-fakes.js';

const plan = (fault?: 'alarm') => ({
  hooks: new Map<HookEventName, string>([['AfterAllowTestTraffic', 'smoke-test']]),
  steps: shiftSteps({ type: 'linear', percent: 50, intervalMinutes: 1 }),
  healthGateSeconds: 20,
  healthGraceSeconds: 5,
  terminationWaitSeconds: 5,
  alarm: {
    thresholds: { loadBalancer: 5, targets: fault === 'alarm' ? 5 : 1_000 },
    periodSeconds: 1,
    periods: 2,
  },
});

const observer = { finished: () => undefined, phase: () => undefined };

describe('withTrafficLog', () => {
  it("writes down production's weights, from all on blue to each share the release sets", async () => {
    const clock = fakeClock();
    const points: TrafficPoint[] = [];
    const { platform } = fakePlatform();
    const result = await runRelease(plan(), withTrafficLog(platform, points, clock), observer, {
      clock,
    });
    expect(result.outcome).toBe('succeeded');
    expect(points.map((point) => point.shares)).toEqual([
      { blue: 100, green: 0 },
      { blue: 50, green: 50 },
      { blue: 0, green: 100 },
    ]);
    const times = points.map((point) => Date.parse(point.at));
    expect(times[2]! - times[1]!).toBeGreaterThan(0);
  });

  it('shows a rollback handing production back to blue', async () => {
    const clock = fakeClock();
    const points: TrafficPoint[] = [];
    const { platform } = fakePlatform({ fiveHundredsPerPoll: 10 });
    const result = await runRelease(
      plan('alarm'),
      withTrafficLog(platform, points, clock),
      observer,
      {
        clock,
      },
    );
    expect(result.outcome).toBe('rolled-back');
    expect(points.at(-1)!.shares).toEqual({ blue: 100, green: 0 });
    expect(points.some((point) => point.shares.green === 50)).toBe(true);
  });
});
