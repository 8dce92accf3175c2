// rehearse() as the sequence of its steps, each step stood in for: which
// run, in which order, and that what the rehearsal started goes at the end.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Cleanups } from '../src/steps/cleanups.js';

const scenario = vi.hoisted(() => ({
  order: [] as string[],
  built: true,
  failAt: undefined as string | undefined,
  summaries: [] as unknown[][],
  /** What the approval gate answers (undefined: the environment has none). */
  approval: undefined as { record: unknown; rejected?: string } | undefined,
  kept: false,
}));

/** A step stand-in: records its name, fails where the scenario says, returns `value`. */
function step(name: string, value: (...args: unknown[]) => unknown = () => ({})) {
  return (...args: unknown[]) => {
    scenario.order.push(name);
    if (scenario.failAt === name) return Promise.reject(new Error(`${name} failed`));
    return Promise.resolve(value(...args));
  };
}

vi.mock('../src/steps/context.js', () => ({
  prepare: step('prepare', () => {
    const cleanups = new Cleanups();
    cleanups.add('environment', () => {
      scenario.order.push('remove environment');
      return Promise.resolve();
    });
    return {
      cleanups,
      infra: {},
      strategy: { type: 'all-at-once' },
      scale: 1,
      environment: { directory: '/nonexistent/rehearse-sequence' },
      ...(scenario.kept ? { kept: {} } : {}),
    };
  }),
}));
vi.mock('../src/steps/build.js', () => ({
  buildAndRender: step('build and render', () => ({
    built: scenario.built,
    releases: { green: { appSpec: {} } },
  })),
}));
vi.mock('../src/steps/approval.js', () => ({
  approvalGate: step('approval', () => scenario.approval),
}));
vi.mock('../src/steps/blue.js', () => ({
  bringUpBlue: step('bring up blue', () => ({
    productionUrl: 'http://127.0.0.1:1',
    testUrl: 'http://127.0.0.1:2',
    platform: { replacedTasks: ['green/green-1'] },
    hooks: { calls: () => [{ service: 'ecs', operation: 'DescribeServices' }] },
  })),
}));
vi.mock('../src/steps/load.js', () => ({
  startLoad: step('start the load', () => ({
    totals: () => ({ requests: 10, failed: 0 }),
    phases: new Map(),
  })),
}));
vi.mock('../src/steps/release.js', () => ({
  releasePlan: () => ({}),
  releaseGreen: step('release green', () => ({ outcome: 'succeeded', events: [] })),
}));
vi.mock('../src/steps/keep.js', () => ({
  keepOrTearDown: step('keep or tear down', () => false),
}));
vi.mock('../src/steps/summarize.js', () => ({
  summarize: (...args: unknown[]) => {
    scenario.order.push('summarize');
    scenario.summaries.push(args);
    return { outcome: args[2] ? 'succeeded' : 'failed' };
  },
}));

const { rehearse } = await import('../src/rehearsal.js');
const options = { progress: () => undefined } as unknown as Parameters<typeof rehearse>[0];

beforeEach(() => {
  scenario.order.length = 0;
  scenario.summaries.length = 0;
  scenario.built = true;
  scenario.failAt = undefined;
  scenario.approval = undefined;
  scenario.kept = false;
});

describe('rehearse', () => {
  it('runs its steps in order, summarizes once, then removes what it started', async () => {
    const summary = await rehearse(options);
    expect(scenario.order).toEqual([
      'prepare',
      'build and render',
      'approval',
      'bring up blue',
      'start the load',
      'release green',
      'keep or tear down',
      'summarize',
      'remove environment',
    ]);
    expect(summary).toEqual({ outcome: 'succeeded' });
    expect(scenario.summaries).toHaveLength(1);
    expect(scenario.summaries[0]![2]).toEqual({
      release: { outcome: 'succeeded', events: [] },
      load: { totals: { requests: 10, failed: 0 }, phases: new Map() },
      replacedTasks: ['green/green-1'],
      productionUrl: 'http://127.0.0.1:1',
      testUrl: 'http://127.0.0.1:2',
      kept: false,
      awsCalls: ['ecs:DescribeServices'],
    });
  });

  it('fails the build without bringing up blue: summarizes the build alone', async () => {
    scenario.built = false;
    const summary = await rehearse(options);
    expect(scenario.order).toEqual([
      'prepare',
      'build and render',
      'summarize',
      'remove environment',
    ]);
    expect(summary).toEqual({ outcome: 'failed' });
    expect(scenario.summaries[0]).toHaveLength(2);
  });

  it('makes no release when the approval is rejected: summarizes the build and the gate', async () => {
    const record = { kind: 'approval', decision: 'rollback' };
    scenario.approval = { record, rejected: 'approval rejected; the release was not made' };
    await rehearse(options);
    expect(scenario.order).toEqual([
      'prepare',
      'build and render',
      'approval',
      'summarize',
      'remove environment',
    ]);
    expect(scenario.summaries[0]![2]).toBeUndefined();
    expect(scenario.summaries[0]![3]).toEqual({
      records: [record],
      rejected: 'approval rejected; the release was not made',
    });
  });

  it('leaves a kept environment as it was when the approval is rejected', async () => {
    scenario.kept = true;
    scenario.approval = { record: {}, rejected: 'rejected' };
    await rehearse(options);
    expect(scenario.order).not.toContain('remove environment');
  });

  it('records the approval it passed with the release', async () => {
    const record = { kind: 'approval', decision: 'continue' };
    scenario.approval = { record };
    await rehearse(options);
    expect(scenario.order).toContain('release green');
    expect(scenario.summaries[0]![3]).toEqual({ records: [record] });
  });

  it('removes what it started when a step fails, and summarizes nothing', async () => {
    scenario.failAt = 'release green';
    await expect(rehearse(options)).rejects.toThrow('release green failed');
    expect(scenario.order.slice(-2)).toEqual(['release green', 'remove environment']);
    expect(scenario.summaries).toEqual([]);
  });
});
