import { describe, expect, it, vi } from 'vitest';
import type * as Engine from '../src/engine.js';
import type { ContainerEngine } from '../src/engine.js';
import type { HaproxyAdmin, ProxyTarget } from '../src/haproxy.js';
import type { Clock } from '../src/clock.js';
import { withFaults } from '../src/faults.js';
import { LocalPlatform, type LocalPlatformOptions } from '../src/platform.js';
import type { LocalRelease } from '../src/render.js';

/** Every engine command and HAProxy call, in order: what terminate() did. */
const steps: string[] = [];
/** Which containers `inspect` reports running. */
let running: Record<string, boolean> = {};
/** While set, `run` waits for it (a task being created). */
let creating: Promise<void> | undefined;
vi.mock('../src/engine.js', async (original) => ({
  ...(await original<typeof Engine>()),
  engineExec: async (_engine: unknown, args: readonly string[]) => {
    steps.push(`engine ${args.join(' ')}`);
    if (args[0] === 'run') await creating;
    const names = args.filter((arg) => arg.startsWith('test-'));
    const stdout =
      args[0] !== 'inspect'
        ? ''
        : args[2] === '{{.State.ExitCode}}'
          ? names.map(() => '0\n').join('')
          : names.map((name) => `/${name} ${running[name] ?? true}\n`).join('');
    return { code: 0, stdout, stderr: '' };
  },
}));

const targets: ProxyTarget[] = [
  { name: 'blue-1', taskSet: 'blue', port: 1 },
  { name: 'blue-2', taskSet: 'blue', port: 2 },
  { name: 'green-1', taskSet: 'green', port: 3 },
  { name: 'green-2', taskSet: 'green', port: 4 },
];
const release = (tag: string) =>
  ({
    imageUri: `repo:${tag}`,
    taskDefinition: {
      containerDefinitions: [
        { name: 'app', portMappings: [{ containerPort: 8080 }], stopTimeout: 20 },
      ],
    },
  }) as unknown as LocalRelease;

/**
 * A clock that moves only when slept on, and oversleeps by 0.7 s as real
 * timers can: a figure computed from the configured delay differs from
 * the one measured on it.
 */
function oversleepingClock(): Clock {
  let now = 0;
  return {
    now: () => now,
    sleep: (ms) => {
      steps.push(`sleep ${ms}`);
      now += ms + 700;
      return Promise.resolve();
    },
  };
}

/** A platform whose HAProxy records the runtime API calls. */
function platform(overrides: Partial<LocalPlatformOptions> = {}) {
  const weights: Record<string, number> = {};
  const admin = {
    setWeight: (backend: string, target: string, weight: number) => {
      weights[`${backend}/${target}`] = weight;
      return Promise.resolve();
    },
    setState: (backend: string, target: string, state: string) => {
      steps.push(`state ${backend}/${target} ${state}`);
      return Promise.resolve();
    },
  } as unknown as HaproxyAdmin;
  const log: string[] = [];
  const local = new LocalPlatform({
    engine: { name: 'podman', globalFlags: [], runFlags: [] } as unknown as ContainerEngine,
    admin,
    targets,
    slots: { blue: 'blue', green: 'green' },
    releases: { blue: release('v1.baseline'), green: release('v1') },
    labels: {},
    containerPrefix: 'test',
    deregistrationDelaySeconds: 0,
    runHook: () => Promise.resolve({ status: 'Succeeded', detail: '' }),
    log: (line) => log.push(line),
    ...overrides,
  });
  return { local, weights, log };
}

describe('LocalPlatform traffic', () => {
  it("splits production by the green share, per target (the ALB's weighted target groups)", async () => {
    const { local, weights } = platform();
    await local.setProductionShare(20);
    expect(weights).toEqual({
      'production/blue-1': 80,
      'production/blue-2': 80,
      'production/green-1': 20,
      'production/green-2': 20,
      // The fail-open twins carry the same weights (haproxyConfig).
      'production/blue-1-open': 80,
      'production/blue-2-open': 80,
      'production/green-1-open': 20,
      'production/green-2-open': 20,
    });
  });

  it('never leaves a listener a moment with no weight anywhere while it moves traffic', async () => {
    const lowest: number[] = [];
    const { local, weights } = platform();
    const admin = (local as unknown as { options: { admin: HaproxyAdmin } }).options.admin;
    const setWeight = admin.setWeight.bind(admin);
    const total = (backend: string) =>
      targets.reduce((sum, target) => sum + (weights[`${backend}/${target.name}`] ?? 0), 0);
    // As the rehearsal lays them out: production on blue, the test listener too.
    for (const target of targets) {
      weights[`production/${target.name}`] = target.taskSet === 'blue' ? 100 : 0;
      weights[`test/${target.name}`] = target.taskSet === 'blue' ? 1 : 0;
    }
    admin.setWeight = async (backend: string, target: string, weight: number) => {
      await setWeight(backend, target, weight);
      lowest.push(total(backend));
    };
    await local.routeTest('green');
    await local.setProductionShare(100);
    await local.setProductionShare(0);
    expect(Math.min(...lowest)).toBeGreaterThan(0);
  });

  it('points the test listener at the replacement task set', async () => {
    const { local, weights } = platform();
    await local.routeTest('green');
    expect(weights).toEqual({
      'test/blue-1': 0,
      'test/blue-2': 0,
      'test/green-1': 1,
      'test/green-2': 1,
      'test/blue-1-open': 0,
      'test/blue-2-open': 0,
      'test/green-1-open': 1,
      'test/green-2-open': 1,
    });
  });

  it('releases into the blue slot when a kept environment serves from the green one', async () => {
    const { local, weights } = platform({ slots: { blue: 'green', green: 'blue' } });
    expect(local.targetsOf('green').map((t) => t.name)).toEqual(['blue-1', 'blue-2']);
    await local.setProductionShare(100);
    expect(weights['production/blue-1']).toBe(100);
    expect(weights['production/green-1']).toBe(0);
  });

  it('fault smoke: leaves the test listener on the original task set when it serves another version', async () => {
    const releases = { blue: release('v1.baseline'), green: release('v1') };
    const { local, weights, log } = platform({ releases });
    const faulty = withFaults(local, 'smoke', { releases, log: (line) => log.push(line) });
    await faulty.routeTest('green');
    expect(weights['test/blue-1']).toBe(1);
    expect(weights['test/green-1']).toBe(0);
    expect(log).toEqual(['fault smoke: the test listener stays on the original task set']);
  });

  it('fault smoke: leaves the test listener without targets when blue serves the same version', async () => {
    const releases = { blue: release('v1'), green: release('v1') };
    const { local, weights } = platform({ releases });
    await withFaults(local, 'smoke', { releases, log: () => undefined }).routeTest('green');
    expect(Object.values(weights)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('LocalPlatform terminate', () => {
  it("drains each of the task set's targets, waits the deregistration delay, then stops its tasks", async () => {
    steps.length = 0;
    const { local } = platform({ deregistrationDelaySeconds: 3, clock: oversleepingClock() });
    await local.terminate('blue');
    const stop = steps.indexOf('engine stop --time 20 test-blue-1 test-blue-2');
    const wait = steps.indexOf('sleep 3000');
    expect(steps.slice(0, wait)).toEqual([
      'state production/blue-1 drain',
      'state production/blue-1-open drain',
      'state test/blue-1-open drain',
      'state production/blue-2 drain',
      'state production/blue-2-open drain',
      'state test/blue-2-open drain',
    ]);
    expect(wait).toBeGreaterThan(0);
    expect(stop).toBe(wait + 1);
    expect(steps.slice(stop + 1).filter((step) => step.startsWith('state'))).toEqual([
      'state production/blue-1 maint',
      'state production/blue-1-open maint',
      'state test/blue-1-open maint',
      'state production/blue-2 maint',
      'state production/blue-2-open maint',
      'state test/blue-2-open maint',
    ]);
  });

  it('reports the drain as measured on the clock, not as configured', async () => {
    steps.length = 0;
    const { local } = platform({ deregistrationDelaySeconds: 3, clock: oversleepingClock() });
    const detail = await local.terminate('green');
    expect(detail).toMatch(/^green: 2 targets drained in 3\.7 s \(deregistration delay 3\.0 s\)/);
  });
});

describe("LocalPlatform: ECS's service scheduler", () => {
  it("starts a replacement for a stopped task in the stopped task's place", async () => {
    steps.length = 0;
    running = { 'test-blue-1': false };
    const { local, log } = platform();
    await local.replaceStoppedTasks();
    const acted = steps.filter((step) => !step.startsWith('engine inspect'));
    expect(acted).toHaveLength(2);
    expect(acted[0]).toBe('engine rm --force --time 0 test-blue-1');
    expect(acted[1]).toMatch(
      /^engine run --detach --name test-blue-1 .*--publish 127\.0\.0\.1:1:8080 repo:v1\.baseline$/,
    );
    expect(local.replacedTasks).toEqual(['blue/blue-1']);
    expect(log).toEqual(['ECS: blue task blue-1 stopped; replacement started']);
  });

  it('starts a replacement with the environment a fault overrode, and tells who listens', async () => {
    steps.length = 0;
    running = { 'test-green-1': false };
    const { local } = platform();
    local.overrideEnvironment('green', { PORT: '8081' });
    await local.startGreen();
    const replaced: string[] = [];
    local.onReplacement((set, task) => replaced.push(`${set} ${task}`));
    steps.length = 0;
    await local.replaceStoppedTasks();
    running = {};
    const runs = steps.filter((step) => step.startsWith('engine run'));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/ --name test-green-1 .*--env PORT=8081 /);
    expect(replaced).toEqual(['green test-green-1']);
  });

  it('kills tasks by name, at once', async () => {
    steps.length = 0;
    const { local } = platform();
    await local.killTasks(local.taskNames('green'));
    expect(steps).toEqual(['engine kill --signal KILL test-green-1 test-green-2']);
  });

  it('does not take a green task being created for a stopped one', async () => {
    let created = () => {};
    creating = new Promise((resolve) => (created = resolve));
    running = { 'test-green-1': false, 'test-green-2': false };
    const { local } = platform();
    const starting = local.startGreen();
    steps.length = 0;
    const scheduling = local.replaceStoppedTasks();
    created();
    await Promise.all([starting, scheduling]);
    creating = undefined;
    running = {};
    expect(steps.filter((step) => step.startsWith('engine rm'))).toEqual([]);
  });

  it('leaves a task set alone once it is being terminated, and green until it is started', async () => {
    running = { 'test-blue-1': false, 'test-green-1': false };
    const { local } = platform();
    await local.terminate('blue');
    steps.length = 0;
    await local.replaceStoppedTasks();
    expect(steps.filter((step) => step.startsWith('engine run'))).toEqual([]);
    expect(local.replacedTasks).toEqual([]);
    running = {};
  });
});
