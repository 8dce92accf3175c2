import { describe, expect, it } from 'vitest';
import { runNativeRelease, type NativeReleasePlan } from '../src/native.js';
import { NATIVE_STAGES, type NativeHook } from '../src/native-stages.js';
import { shiftSteps } from '../src/settings.js';
import { fakeClock, fakePlatform } from './support/release-fakes.js';

const BLUE = 'arn:aws:ecs:us-east-2:000000000000:service-revision/app/app/1';
const GREEN = 'arn:aws:ecs:us-east-2:000000000000:service-revision/app/app/2';
const DEPLOYMENT = 'arn:aws:ecs:us-east-2:000000000000:service-deployment/app/app/d1';

/** The hooks H2's handler registers: one function at the four traffic stages. */
const TRAFFIC_HOOKS: NativeHook[] = [
  {
    functionName: 'native-hook',
    stages: [
      'TEST_TRAFFIC_SHIFT',
      'POST_TEST_TRAFFIC_SHIFT',
      'PRODUCTION_TRAFFIC_SHIFT',
      'POST_PRODUCTION_TRAFFIC_SHIFT',
    ],
  },
];

function plan(overrides: Partial<NativeReleasePlan> = {}): NativeReleasePlan {
  return {
    hooks: TRAFFIC_HOOKS,
    steps: shiftSteps({ type: 'all-at-once' }),
    healthGateSeconds: 20,
    healthGraceSeconds: 5,
    alarm: { thresholds: { loadBalancer: 5, targets: 5 }, periodSeconds: 1, periods: 2 },
    bakeSeconds: 5,
    scale: 1,
    identity: {
      serviceArn: 'arn:aws:ecs:us-east-2:000000000000:service/app/app',
      serviceDeploymentArn: DEPLOYMENT,
      revisionArns: { blue: BLUE, green: GREEN },
    },
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

describe('runNativeRelease', () => {
  it("runs ECS's stages in order, hooks where the service has them, and scales blue down after the bake time", async () => {
    const { platform, calls, native } = fakePlatform({ healthyAfter: 2 });
    const { phases, observer: watcher } = observer();
    const result = await runNativeRelease(plan(), platform, watcher, { clock: fakeClock() });
    expect(result.outcome).toBe('succeeded');
    expect(result.events.map((e) => e.name)).toEqual([...NATIVE_STAGES]);
    expect(result.events.map((e) => [e.name, e.result, e.invocations, e.hookStatus])).toEqual([
      ['RECONCILE_SERVICE', 'Skipped', undefined, undefined],
      ['PRE_SCALE_UP', 'Skipped', undefined, undefined],
      ['SCALE_UP', 'Succeeded', undefined, undefined],
      ['POST_SCALE_UP', 'Skipped', undefined, undefined],
      ['TEST_TRAFFIC_SHIFT', 'Succeeded', 1, 'SUCCEEDED'],
      ['POST_TEST_TRAFFIC_SHIFT', 'Succeeded', 1, 'SUCCEEDED'],
      ['PRODUCTION_TRAFFIC_SHIFT', 'Succeeded', 1, 'SUCCEEDED'],
      ['POST_PRODUCTION_TRAFFIC_SHIFT', 'Succeeded', 1, 'SUCCEEDED'],
      ['BAKE_TIME', 'Succeeded', undefined, undefined],
      ['CLEAN_UP', 'Succeeded', undefined, undefined],
    ]);
    expect(calls).toEqual([
      'startGreen',
      'routeTest green',
      'native TEST_TRAFFIC_SHIFT IN_PROGRESS native-hook',
      'native POST_TEST_TRAFFIC_SHIFT IN_PROGRESS native-hook',
      'share 100',
      'native PRODUCTION_TRAFFIC_SHIFT IN_PROGRESS native-hook',
      'native POST_PRODUCTION_TRAFFIC_SHIFT IN_PROGRESS native-hook',
      'terminate blue',
    ]);
    expect(phases).toEqual(['install', 'test-traffic', 'shift', 'bake']);
    // ECS's payload: the weights by service revision, the service, the target revision, the deployment.
    expect(native[0]!.payload).toEqual({
      executionDetails: {
        testTrafficWeights: { [BLUE]: 0, [GREEN]: 100 },
        productionTrafficWeights: { [BLUE]: 100, [GREEN]: 0 },
        serviceArn: 'arn:aws:ecs:us-east-2:000000000000:service/app/app',
        targetServiceRevisionArn: GREEN,
      },
      executionId: expect.any(String) as string,
      lifecycleStage: 'TEST_TRAFFIC_SHIFT',
      resourceArn: DEPLOYMENT,
    });
    expect(native[3]!.payload.executionDetails.productionTrafficWeights).toEqual({
      [BLUE]: 0,
      [GREEN]: 100,
    });
  });

  it('invokes a hook at PRE_SCALE_UP and POST_SCALE_UP around the scale-up when the service has one there', async () => {
    const { platform, calls } = fakePlatform();
    const hooks: NativeHook[] = [
      { functionName: 'scale', stages: ['PRE_SCALE_UP', 'POST_SCALE_UP'] },
    ];
    const result = await runNativeRelease(plan({ hooks }), platform, observer().observer, {
      clock: fakeClock(),
    });
    expect(result.outcome).toBe('succeeded');
    expect(calls.slice(0, 3)).toEqual([
      'native PRE_SCALE_UP IN_PROGRESS scale',
      'startGreen',
      'native POST_SCALE_UP IN_PROGRESS scale',
    ]);
  });

  it('invokes an IN_PROGRESS hook again after its callBackDelay (scaled), passing its hookDetails back', async () => {
    const clock = fakeClock();
    const { platform, native } = fakePlatform({
      clock,
      nativeAnswers: {
        POST_TEST_TRAFFIC_SHIFT: [
          { hookStatus: 'IN_PROGRESS', callBackDelay: 120, hookDetails: { attempt: 1 } },
          { hookStatus: 'IN_PROGRESS' },
          { hookStatus: 'SUCCEEDED' },
        ],
      },
    });
    const scale = 1 / 60;
    const result = await runNativeRelease(plan({ scale }), platform, observer().observer, {
      clock,
    });
    expect(result.outcome).toBe('succeeded');
    const seen = native.filter((n) => n.payload.lifecycleStage === 'POST_TEST_TRAFFIC_SHIFT');
    expect(seen).toHaveLength(3);
    // One execution: the same id on every re-invocation, the details carried along.
    expect(new Set(seen.map((n) => n.payload.executionId)).size).toBe(1);
    expect(seen[0]!.payload.hookDetails).toBeUndefined();
    expect(seen[1]!.payload.hookDetails).toEqual({ attempt: 1 });
    expect(seen[2]!.payload.hookDetails).toEqual({ attempt: 1 });
    // 120 s asked for, then ECS's default 30 s; a minute is a second here.
    expect(seen[1]!.at! - seen[0]!.at!).toBeGreaterThanOrEqual(2_000);
    expect(seen[2]!.at! - seen[1]!.at!).toBeGreaterThanOrEqual(500);
    expect(seen[2]!.at! - seen[1]!.at!).toBeLessThan(2_000);
    expect(result.events.find((e) => e.name === 'POST_TEST_TRAFFIC_SHIFT')).toMatchObject({
      invocations: 3,
      hookStatus: 'SUCCEEDED',
      result: 'Succeeded',
    });
  });

  it('shifts a canary: the percent, the canary bake, then the rest, the hook at each step', async () => {
    const clock = fakeClock();
    const { platform, calls, native } = fakePlatform({ clock });
    const steps = shiftSteps({ type: 'canary', percent: 10, intervalMinutes: 5 });
    const result = await runNativeRelease(plan({ steps }), platform, observer().observer, {
      clock,
    });
    expect(result.outcome).toBe('succeeded');
    expect(calls.filter((c) => c.startsWith('share'))).toEqual(['share 10', 'share 100']);
    const shifts = native.filter((n) => n.payload.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT');
    expect(shifts.map((n) => n.payload.executionDetails.productionTrafficWeights)).toEqual([
      { [BLUE]: 90, [GREEN]: 10 },
      { [BLUE]: 0, [GREEN]: 100 },
    ]);
    expect(shifts[1]!.at! - shifts[0]!.at!).toBeGreaterThanOrEqual(300_000);
    expect(result.events.find((e) => e.name === 'PRODUCTION_TRAFFIC_SHIFT')).toMatchObject({
      invocations: 2,
    });
    expect(result.shiftSeconds).toBeGreaterThanOrEqual(300);
  });

  it('shifts linear steps with the step bake between them', async () => {
    const clock = fakeClock();
    const { platform, calls, native } = fakePlatform({ clock });
    const steps = shiftSteps({ type: 'linear', percent: 25, intervalMinutes: 1 });
    const result = await runNativeRelease(plan({ steps }), platform, observer().observer, {
      clock,
    });
    expect(result.outcome).toBe('succeeded');
    expect(calls.filter((c) => c.startsWith('share'))).toEqual([
      'share 25',
      'share 50',
      'share 75',
      'share 100',
    ]);
    const at = native
      .filter((n) => n.payload.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT')
      .map((n) => n.at!);
    expect(at).toHaveLength(4);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(60_000);
  });

  it('keeps both revisions up for the bake time, then scales blue down', async () => {
    const clock = fakeClock();
    const { platform, calls } = fakePlatform({ clock });
    const result = await runNativeRelease(
      plan({ bakeSeconds: 900 }),
      platform,
      observer().observer,
      {
        clock,
      },
    );
    const bake = result.events.find((e) => e.name === 'BAKE_TIME')!;
    expect(bake.durationSeconds).toBeGreaterThanOrEqual(900);
    const cleanUp = result.events.find((e) => e.name === 'CLEAN_UP')!;
    expect(Date.parse(cleanUp.start)).toBeGreaterThanOrEqual(Date.parse(bake.end));
    expect(calls.at(-1)).toBe('terminate blue');
  });

  it('rolls back on a FAILED hook: production and test back to blue, re-running their traffic-shift hooks in ROLLBACK_IN_PROGRESS', async () => {
    const { platform, calls, native } = fakePlatform({
      nativeAnswers: { POST_TEST_TRAFFIC_SHIFT: [{ hookStatus: 'FAILED' }] },
    });
    const { phases, observer: watcher } = observer();
    const result = await runNativeRelease(plan(), platform, watcher, { clock: fakeClock() });
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toMatch(
      /^POST_TEST_TRAFFIC_SHIFT hook native-hook: FAILED after 1 invocation/,
    );
    expect(calls).not.toContain('share 100');
    expect(calls.slice(-5)).toEqual([
      'share 0',
      'native PRODUCTION_TRAFFIC_SHIFT ROLLBACK_IN_PROGRESS native-hook',
      'routeTest blue',
      'native TEST_TRAFFIC_SHIFT ROLLBACK_IN_PROGRESS native-hook',
      'terminate green',
    ]);
    expect(
      result.events.slice(-4).map((e) => [e.name, e.result, e.rollback, e.invocations]),
    ).toEqual([
      ['POST_TEST_TRAFFIC_SHIFT', 'Failed', undefined, 1],
      ['PRODUCTION_TRAFFIC_SHIFT', 'Succeeded', true, 1],
      ['TEST_TRAFFIC_SHIFT', 'Succeeded', true, 1],
      ['Rollback', 'Succeeded', undefined, undefined],
    ]);
    // During the rollback the weights the hook sees are blue's.
    const rollback = native.filter((n) => n.deploymentStatus === 'ROLLBACK_IN_PROGRESS');
    expect(rollback.at(-1)!.payload.executionDetails).toMatchObject({
      testTrafficWeights: { [BLUE]: 100, [GREEN]: 0 },
      productionTrafficWeights: { [BLUE]: 100, [GREEN]: 0 },
    });
    expect(phases.at(-1)).toBe('rollback');
  });

  it('rolls back on a hook that returns no valid hookStatus (an error or a timeout)', async () => {
    const { platform } = fakePlatform({
      nativeAnswers: { TEST_TRAFFIC_SHIFT: [{}, { hookStatus: 'SUCCEEDED' }] },
    });
    const result = await runNativeRelease(plan(), platform, observer().observer, {
      clock: fakeClock(),
    });
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toContain('TEST_TRAFFIC_SHIFT hook native-hook: no valid hookStatus');
  });

  it('goes on rolling back when a traffic-shift hook fails during the rollback, and records it', async () => {
    const { platform, calls } = fakePlatform({
      nativeAnswers: {
        POST_PRODUCTION_TRAFFIC_SHIFT: [{ hookStatus: 'FAILED' }],
        PRODUCTION_TRAFFIC_SHIFT: [{ hookStatus: 'SUCCEEDED' }, { hookStatus: 'FAILED' }],
      },
    });
    const result = await runNativeRelease(plan(), platform, observer().observer, {
      clock: fakeClock(),
    });
    expect(result.outcome).toBe('rolled-back');
    expect(calls.slice(-3)).toEqual([
      'routeTest blue',
      'native TEST_TRAFFIC_SHIFT ROLLBACK_IN_PROGRESS native-hook',
      'terminate green',
    ]);
    expect(
      result.events.find((e) => e.rollback && e.name === 'PRODUCTION_TRAFFIC_SHIFT'),
    ).toMatchObject({ result: 'Failed', hookStatus: 'FAILED' });
  });

  it('rolls back when a 5xx alarm fires during the bake time', async () => {
    const { platform, calls } = fakePlatform({ fiveHundredsPerPoll: 10 });
    const result = await runNativeRelease(
      plan({ hooks: [], bakeSeconds: 600 }),
      platform,
      observer().observer,
      { clock: fakeClock() },
    );
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toMatch(/^Target5xxAlarm in ALARM/);
    expect(result.events.find((e) => e.name === 'BAKE_TIME')).toMatchObject({ result: 'Failed' });
    expect(calls).not.toContain('terminate blue');
    expect(calls.slice(-3)).toEqual(['share 0', 'routeTest blue', 'terminate green']);
  });

  it('rolls back when green never becomes healthy, before any traffic moves', async () => {
    const { platform, calls } = fakePlatform({ healthyAfter: Infinity });
    const result = await runNativeRelease(plan(), platform, observer().observer, {
      clock: fakeClock(),
    });
    expect(result.outcome).toBe('rolled-back');
    expect(result.reason).toContain('green not healthy after 25 s');
    expect(result.events.find((e) => e.name === 'SCALE_UP')).toMatchObject({ result: 'Failed' });
    expect(calls).not.toContain('routeTest green');
  });
});
