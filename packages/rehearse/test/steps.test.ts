import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WaitTimeoutError } from '../src/clock.js';
import { readState, type RehearsalEnvironment } from '../src/environment.js';
import type { ReleaseOutcome } from '../src/lifecycle.js';
import type { PushStages } from '../src/pipeline/push.js';
import type { LocalRegistry } from '../src/pipeline/registry.js';
import type { LocalRelease } from '../src/render.js';
import type { InfraSettings } from '../src/settings.js';
import { waitForBlue, type BluePlatform } from '../src/steps/blue.js';
import { buildFailure, type Build } from '../src/steps/build.js';
import { Cleanups } from '../src/steps/cleanups.js';
import type { RehearsalContext } from '../src/steps/context.js';
import { keepOrTearDown } from '../src/steps/keep.js';
import { nativeReleasePlan, releaseGreen, releasePlan } from '../src/steps/release.js';
import { summarize, type Deployment } from '../src/steps/summarize.js';
import { formatSummary } from '../src/summary.js';
import { fakeClock, fakePlatform } from './support/release-fakes.js';

const infra = {
  environment: 'staging',
  region: 'eu-west-1',
  taskCount: 2,
  healthCheck: { healthyThreshold: 2, intervalSeconds: 10, timeoutSeconds: 5 },
  terminationWaitMinutes: 5,
  target5xxPerMinute: 5,
  loadBalancer5xxPerMinute: 10,
  evaluationPeriods: 2,
} as unknown as InfraSettings;

const release = (tag: string, appSpec = {}) =>
  ({ imageUri: `repo:${tag}`, appSpec }) as unknown as LocalRelease;
const releases = { blue: release('v1.baseline'), green: release('v1') };

describe('bring up blue (waitForBlue)', () => {
  /** Blue's tasks healthy after `healthyAfter` checks, in service after `inServiceAfter`. */
  function bluePlatform(healthyAfter: number, inServiceAfter = 0, stopped = false) {
    const calls: string[] = [];
    let checks = 0;
    let inService = 0;
    const platform: BluePlatform = {
      startTaskSet: (set) => {
        calls.push(`start ${set}`);
        return Promise.resolve();
      },
      taskSetState: () => {
        calls.push('tasks?');
        if (stopped) return Promise.resolve('stopped');
        return Promise.resolve(++checks > healthyAfter ? 'healthy' : 'starting');
      },
      targetsInService: () => {
        calls.push('in service?');
        return Promise.resolve(++inService > inServiceAfter);
      },
    };
    const startProxy = () => {
      calls.push('start proxy');
      return Promise.resolve();
    };
    return { platform, calls, startProxy };
  }

  it("starts blue's tasks, the proxy once they are healthy, then waits for the proxy to see them", async () => {
    const { platform, calls, startProxy } = bluePlatform(1, 1);
    const clock = fakeClock();
    await waitForBlue(platform, { kept: false, engineName: 'podman', startProxy, clock });
    expect(calls).toEqual([
      'start blue',
      'tasks?',
      'tasks?',
      'start proxy',
      'in service?',
      'in service?',
    ]);
    expect(clock.elapsed()).toBe(500);
  });

  it('starts nothing on a kept environment: its blue already serves', async () => {
    const { platform, calls, startProxy } = bluePlatform(0);
    await waitForBlue(platform, {
      kept: true,
      engineName: 'podman',
      startProxy,
      clock: fakeClock(),
    });
    expect(calls).toEqual(['in service?']);
  });

  it("fails at once when a blue task stops, naming the engine's logs", async () => {
    const { platform, calls, startProxy } = bluePlatform(0, 0, true);
    const waiting = waitForBlue(platform, {
      kept: false,
      engineName: 'docker',
      startProxy,
      clock: fakeClock(),
    });
    await expect(waiting).rejects.toThrow(
      'the original task set did not become healthy (stopped); see `docker logs`',
    );
    expect(calls).not.toContain('start proxy');
  });

  it('fails after a minute when blue never becomes healthy, naming what it waited for', async () => {
    const { platform, startProxy } = bluePlatform(Infinity);
    const clock = fakeClock();
    const waiting = waitForBlue(platform, { kept: false, engineName: 'podman', startProxy, clock });
    await expect(waiting).rejects.toThrow(
      new WaitTimeoutError('the original task set to be healthy (see `podman logs`)', 60),
    );
    expect(clock.elapsed()).toBeGreaterThan(60_000);
  });
});

describe('release green (releaseGreen)', () => {
  function load() {
    const phases: string[] = [];
    return {
      phases,
      enter: (phase: string) => phases.push(phase),
      stop: () => {
        phases.push('stopped');
        return Promise.resolve();
      },
    };
  }

  it("runs the release with ECS's scheduler on, then stops the load and the scheduler", async () => {
    const { platform, calls } = fakePlatform();
    const running = load();
    const progress: string[] = [];
    const outcome = await releaseGreen({
      platform,
      plan: releasePlan(infra, { type: 'all-at-once' }, {} as LocalRelease['appSpec'], 1 / 60),
      releases,
      load: running,
      progress: (line) => progress.push(line),
      clock: fakeClock(),
    });
    expect(outcome.outcome).toBe('succeeded');
    expect(calls).toEqual([
      'startScheduler',
      'startGreen',
      'routeTest green',
      'share 100',
      'terminate blue',
      'stopScheduler',
    ]);
    expect(running.phases).toEqual(['install', 'test-traffic', 'shift', 'termination', 'stopped']);
    expect(progress[0]).toBe('BeforeInstall             InProgress');
    expect(progress[1]).toMatch(
      /^BeforeInstall {13}Skipped {3} {4}0\.0 s {2}00:00:00 → 00:00:00 {2}no hook in the AppSpec$/,
    );
  });

  it('injects the fault asked for around the platform', async () => {
    const { platform, calls } = fakePlatform();
    await releaseGreen({
      platform,
      plan: releasePlan(infra, { type: 'all-at-once' }, {} as LocalRelease['appSpec'], 1 / 60),
      releases,
      load: load(),
      fault: 'smoke',
      progress: () => undefined,
      clock: fakeClock(),
    });
    expect(calls).toContain('routeTest blue');
    expect(calls).not.toContain('routeTest green');
  });

  it("plans the release from infra's settings, its waits scaled", () => {
    const plan = releasePlan(
      infra,
      { type: 'canary', percent: 10, intervalMinutes: 5 },
      { version: 0, Resources: [], Hooks: [{ AfterAllowTestTraffic: 'smoke' }] },
      1 / 60,
    );
    expect({ ...plan, hooks: [...plan.hooks] }).toEqual({
      hooks: [['AfterAllowTestTraffic', 'smoke']],
      steps: [
        { greenPercent: 10, waitSecondsAfter: 5 },
        { greenPercent: 100, waitSecondsAfter: 0 },
      ],
      healthGateSeconds: 20,
      healthGraceSeconds: 5,
      terminationWaitSeconds: 5,
      alarm: { thresholds: { loadBalancer: 10, targets: 5 }, periodSeconds: 1, periods: 2 },
    });
  });
});

describe('keep or tear down (keepOrTearDown)', () => {
  let directory: string;
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  async function rehearsal(keep: boolean, signal?: AbortSignal) {
    directory = await mkdtemp(join(tmpdir(), 'keep-'));
    const removed: string[] = [];
    const cleanups = new Cleanups();
    for (const name of ['local image tags', 'environment', 'registry', 'hook runner']) {
      cleanups.add(name, () => {
        removed.push(name);
        return Promise.resolve();
      });
    }
    const context = {
      options: { keep, signal },
      slots: { blue: 'green', green: 'blue' },
      colors: { blue: 'red', green: 'blue' },
      engine: { name: 'podman' },
      environment: {
        directory,
        stateFile: join(directory, 'state.json'),
      } as RehearsalEnvironment,
      localTags: ['repo:v1', 'repo:v1.baseline'],
      cleanups,
    } as unknown as RehearsalContext;
    return { context, removed };
  }
  const stage = {
    hooks: {
      run: () => Promise.reject(new Error('unused')),
      calls: () => [],
      close: () => Promise.resolve(),
    },
    productionUrl: 'http://127.0.0.1:1',
    testUrl: 'http://127.0.0.1:2',
    listeners: { production: { port: 1 }, test: { port: 2 } },
    targets: [],
  };
  const built = {
    releases,
    versions: { blue: 'v1.baseline', green: 'v1' },
    imageIds: { blue: 'a', green: 'b' },
  };

  it('tears down: leaves every clean-up for the end and writes no state', async () => {
    const { context, removed } = await rehearsal(false);
    expect(await keepOrTearDown(context, built, stage, { outcome: 'succeeded' })).toBe(false);
    expect(removed).toEqual([]);
    expect(context.cleanups.names()).toEqual([
      'hook runner',
      'registry',
      'environment',
      'local image tags',
    ]);
    expect(await readState(context.environment)).toBeUndefined();
  });

  it('keeps green after a release that succeeded: its slot and tag stay, the hooks go now', async () => {
    const { context, removed } = await rehearsal(true);
    expect(await keepOrTearDown(context, built, stage, { outcome: 'succeeded' })).toBe(true);
    expect(removed).toEqual(['hook runner']);
    expect(context.cleanups.names()).toEqual(['registry', 'local image tags']);
    expect(context.localTags).toEqual(['repo:v1.baseline']);
    expect(await readState(context.environment)).toMatchObject({
      liveSlot: 'blue',
      live: { version: 'v1', color: 'blue' },
      productionUrl: 'http://127.0.0.1:1',
    });
  });

  it('keeps blue after a rollback', async () => {
    const { context } = await rehearsal(true);
    await keepOrTearDown(context, built, stage, { outcome: 'rolled-back' });
    expect(context.localTags).toEqual(['repo:v1']);
    expect(await readState(context.environment)).toMatchObject({
      liveSlot: 'green',
      live: { version: 'v1.baseline', color: 'red' },
    });
  });

  it('tears down an interrupted rehearsal even with keep', async () => {
    const interrupt = new AbortController();
    interrupt.abort();
    const { context } = await rehearsal(true, interrupt.signal);
    expect(await keepOrTearDown(context, built, stage, { outcome: 'rolled-back' })).toBe(false);
    expect(context.cleanups.names()).toContain('environment');
  });
});

describe('summarize', () => {
  const push = (status: 'SUCCEEDED' | 'FAILED') =>
    ({
      source: { commitId: 'abc', headCommitId: 'abc', dirty: false, files: 120 },
      build: {
        buildStatus: status,
        logFile: '/tmp/build.log',
        artifactFiles:
          status === 'SUCCEEDED' ? ['appspec.yaml', 'imageDetail.json', 'taskdef.json'] : [],
        phases: [
          { phaseType: 'INSTALL', phaseStatus: 'SUCCEEDED' },
          status === 'SUCCEEDED'
            ? { phaseType: 'BUILD', phaseStatus: 'SUCCEEDED' }
            : {
                phaseType: 'BUILD',
                phaseStatus: 'FAILED',
                failedCommand: 'pnpm test',
                context: 'exit status 1',
              },
        ],
      },
      events: [{ stage: 'Source', name: 'Source', result: 'Succeeded' }],
      buildSeconds: 30,
    }) as unknown as PushStages;
  const registry = {
    address: '127.0.0.1:5000',
    standsInFor: 'ecr',
    manifestRequests: () => ['PUT webapp-color:abc 201', 'GET other:abc 200'],
  } as unknown as LocalRegistry;
  const build = (status: 'SUCCEEDED' | 'FAILED'): Build => ({
    registry,
    repository: 'ecr/webapp-color',
    push: push(status),
    version: 'abc',
  });
  const context = {
    options: { definition: { app: { name: 'webapp-color' } }, fault: 'crash' },
    began: Date.now(),
    scale: 1 / 60,
    engine: { name: 'podman', version: '5.0' },
    environment: { key: 'webapp-color-123' },
    infra,
    strategy: { type: 'all-at-once' },
    colors: { blue: 'red', green: 'blue' },
  } as unknown as RehearsalContext;
  const release: ReleaseOutcome = {
    outcome: 'rolled-back',
    reason: 'LoadBalancer5xxAlarm in ALARM',
    events: [
      {
        name: 'Install',
        start: '2026-01-01T00:00:00.000Z',
        end: '2026-01-01T00:00:01.000Z',
        durationSeconds: 1,
        result: 'Succeeded',
        detail: '',
      },
    ],
    greenHealthySeconds: 1,
    hookSeconds: 2,
  };
  const deployment: Deployment = {
    release,
    load: {
      totals: { requests: 100, failed: 3 },
      phases: new Map([['shift', { requests: 100, failed: 3, reasons: ['503'] }]]),
    },
    replacedTasks: ['green/green-1'],
    productionUrl: 'http://127.0.0.1:1',
    testUrl: 'http://127.0.0.1:2',
    kept: false,
    awsCalls: ['ecs:DescribeServices'],
  };

  it('summarizes a failed build with the same fields as a deployment, nothing deployed', () => {
    const failed = build('FAILED');
    const summary = summarize(context, { ...failed, failure: buildFailure(failed.push)! });
    const deployed = summarize(context, build('SUCCEEDED'), deployment);
    expect(Object.keys(summary)).toEqual(Object.keys(deployed));
    expect(Object.keys(summary.timings)).toEqual(Object.keys(deployed.timings));
    expect(summary).toMatchObject({
      outcome: 'failed',
      reason:
        'the build failed in BUILD at `pnpm test`: exit status 1; nothing was deployed (log: /tmp/build.log)',
      build: { status: 'FAILED', failedPhase: 'BUILD', failedCommand: 'pnpm test' },
      registry: { imageRequests: ['PUT webapp-color:abc 201'] },
      engine: 'podman 5.0',
      fault: 'crash',
      requests: 0,
      failedRequests: 0,
      phases: {},
      events: [{ stage: 'Source' }],
      replacedTasks: [],
      timings: {
        buildSeconds: 30,
        greenHealthySeconds: null,
        healthGateSeconds: 20,
        hookSeconds: 0,
        shiftSeconds: null,
        drainSeconds: null,
      },
      productionUrl: '',
      kept: false,
      awsCalls: [],
    });
  });

  it("summarizes a deployment: the release's outcome, the load, the lifecycle's events after the build's", () => {
    const summary = summarize(context, build('SUCCEEDED'), deployment);
    expect(summary).toMatchObject({
      outcome: 'rolled-back',
      reason: 'LoadBalancer5xxAlarm in ALARM',
      build: {
        status: 'SUCCEEDED',
        artifactFiles: ['appspec.yaml', 'imageDetail.json', 'taskdef.json'],
      },
      requests: 100,
      failedRequests: 3,
      phases: { shift: { requests: 100, failed: 3, reasons: ['503'] } },
      replacedTasks: ['green/green-1'],
      timings: { greenHealthySeconds: 1, hookSeconds: 2, shiftSeconds: null },
      productionUrl: 'http://127.0.0.1:1',
      testUrl: 'http://127.0.0.1:2',
      environmentKey: 'webapp-color-123',
      awsCalls: ['ecs:DescribeServices'],
    });
    expect(summary.events.map((event) => `${event.stage} ${event.name}`)).toEqual([
      'Source Source',
      'Deploy Install',
    ]);
    expect(summary.build).not.toHaveProperty('failedPhase');
  });

  it('finds no failure in a build that succeeded', () => {
    expect(buildFailure(push('SUCCEEDED'))).toBeUndefined();
  });

  it("summarizes an ECS-controller release: the controller, each stage's hook count and status, the rollback's stages", () => {
    const stage = (name: string, extra: object) => ({
      ...release.events[0]!,
      name,
      ...extra,
    });
    const native: Deployment = {
      ...deployment,
      release: {
        ...release,
        events: [
          stage('POST_TEST_TRAFFIC_SHIFT', {
            result: 'Failed',
            invocations: 18,
            hookStatus: 'FAILED',
          }),
          stage('PRODUCTION_TRAFFIC_SHIFT', {
            invocations: 1,
            hookStatus: 'SUCCEEDED',
            rollback: true,
          }),
          stage('TEST_TRAFFIC_SHIFT', { invocations: 1, hookStatus: 'SUCCEEDED', rollback: true }),
        ],
      } as ReleaseOutcome,
    };
    const summary = summarize({ ...context, controller: 'ecs' }, build('SUCCEEDED'), native);
    expect(summary.controller).toBe('ecs');
    expect(summary.events.at(-1)).toMatchObject({
      stage: 'Deploy',
      name: 'TEST_TRAFFIC_SHIFT',
      invocations: 1,
      hookStatus: 'SUCCEEDED',
      rollback: true,
    });
    const lines = formatSummary(summary);
    expect(lines.find((line) => line.startsWith('Release'))).toContain(
      'ECS blue/green all-at-once',
    );
    expect(lines).toContain(
      'Hooks      POST_TEST_TRAFFIC_SHIFT FAILED ×18, rollback PRODUCTION_TRAFFIC_SHIFT SUCCEEDED ×1, rollback TEST_TRAFFIC_SHIFT SUCCEEDED ×1',
    );
  });
});

describe('nativeReleasePlan', () => {
  it("takes the environment's canary, bake time and alarms, scaled like CodeDeploy's waits", () => {
    const identity = {
      serviceArn: 's',
      serviceDeploymentArn: 'd',
      revisionArns: { blue: 'b', green: 'g' },
    };
    const hooks = [{ functionName: 'f', stages: ['POST_TEST_TRAFFIC_SHIFT' as const] }];
    const plan = nativeReleasePlan(
      { ...infra, terminationWaitMinutes: 15 },
      { type: 'canary', percent: 10, intervalMinutes: 5 },
      hooks,
      identity,
      1 / 60,
    );
    const codeDeploy = releasePlan(
      { ...infra, terminationWaitMinutes: 15 },
      { type: 'canary', percent: 10, intervalMinutes: 5 },
      { version: 0.0, Resources: [] },
      1 / 60,
    );
    expect(plan).toMatchObject({ hooks, identity, bakeSeconds: 15, scale: 1 / 60 });
    expect(plan.steps).toEqual([
      { greenPercent: 10, waitSecondsAfter: 5 },
      { greenPercent: 100, waitSecondsAfter: 0 },
    ]);
    // The same shift, health gate and alarms as the CodeDeploy plan.
    expect(plan.steps).toEqual(codeDeploy.steps);
    expect(plan.alarm).toEqual(codeDeploy.alarm);
    expect(plan.healthGateSeconds).toBe(codeDeploy.healthGateSeconds);
    expect(plan.bakeSeconds).toBe(codeDeploy.terminationWaitSeconds);
  });
});

describe('Cleanups', () => {
  it('removes the last added first, goes on past a failing one, and skips or runs early on request', async () => {
    const removed: string[] = [];
    const cleanups = new Cleanups();
    const add = (name: string, fails = false) =>
      cleanups.add(name, () => {
        removed.push(name);
        return fails ? Promise.reject(new Error(name)) : Promise.resolve();
      });
    add('environment');
    add('registry', true);
    add('hooks');
    add('load');
    await cleanups.now('hooks');
    cleanups.skip('load');
    await cleanups.runAll();
    await cleanups.runAll();
    expect(removed).toEqual(['hooks', 'registry', 'environment']);
  });
});
