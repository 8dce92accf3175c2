import { describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../src/engine.js';
import type { HaproxyAdmin, ProxyTarget } from '../src/haproxy.js';
import { LocalPlatform, type LocalPlatformOptions } from '../src/platform.js';
import type { LocalRelease } from '../src/render.js';

const targets: ProxyTarget[] = [
  { name: 'blue-1', taskSet: 'blue', port: 1 },
  { name: 'blue-2', taskSet: 'blue', port: 2 },
  { name: 'green-1', taskSet: 'green', port: 3 },
  { name: 'green-2', taskSet: 'green', port: 4 },
];
const release = (tag: string) => ({ imageUri: `repo:${tag}` }) as LocalRelease;

/** A platform whose HAProxy records the runtime API calls. */
function platform(overrides: Partial<LocalPlatformOptions> = {}) {
  const weights: Record<string, number> = {};
  const admin = {
    setWeight: (backend: string, target: string, weight: number) => {
      weights[`${backend}/${target}`] = weight;
      return Promise.resolve();
    },
  } as unknown as HaproxyAdmin;
  const log: string[] = [];
  const local = new LocalPlatform({
    engine: { name: 'podman' } as ContainerEngine,
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
    });
  });

  it('points the test listener at the replacement task set', async () => {
    const { local, weights } = platform();
    await local.routeTest('green');
    expect(weights).toEqual({
      'test/blue-1': 0,
      'test/blue-2': 0,
      'test/green-1': 1,
      'test/green-2': 1,
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
    const { local, weights, log } = platform({ fault: 'smoke' });
    await local.routeTest('green');
    expect(weights['test/blue-1']).toBe(1);
    expect(weights['test/green-1']).toBe(0);
    expect(log).toEqual(['fault smoke: the test listener stays on the original task set']);
  });

  it('fault smoke: leaves the test listener without targets when blue serves the same version', async () => {
    const { local, weights } = platform({
      fault: 'smoke',
      releases: { blue: release('v1'), green: release('v1') },
    });
    await local.routeTest('green');
    expect(Object.values(weights)).toEqual([0, 0, 0, 0]);
  });
});
