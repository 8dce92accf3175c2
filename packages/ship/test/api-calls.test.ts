import { afterEach, describe, expect, it } from 'vitest';
import { SHIP_API_CALLS } from '../src/api-calls.js';
import { parseEcsRelease } from '../src/release-files.js';
import { RELEASE_TAG_KEY, ship } from '../src/ship.js';
import { CLUSTER, fakeService, SERVICE } from './fake-ecs.js';
import { renderedRelease } from './release.js';

const files = renderedRelease();
const release = parseEcsRelease(files.taskdef, files.imageDefinitions);
let fakes: ReturnType<typeof fakeService>[] = [];
afterEach(() => {
  for (const fake of fakes) fake.mock.restore();
  fakes = [];
});

describe('the calls the program makes', () => {
  it('are exactly the calls its role is written from', async () => {
    const made = new Set<string>();
    for (const options of [
      { current: { revision: 3 }, listDelay: 1 },
      {
        current: { revision: 4, tags: [{ key: RELEASE_TAG_KEY, value: release.sha256 }] },
        currentDeployment: { statuses: ['SUCCESSFUL' as const] },
      },
      { current: { revision: 3 }, next: { statuses: ['ROLLBACK_SUCCESSFUL' as const] } },
    ]) {
      const fake = fakeService(options);
      fakes.push(fake);
      await ship({
        ecs: fake.client,
        cluster: CLUSTER,
        service: SERVICE,
        release,
        sleep: () => Promise.resolve(),
      }).catch(() => undefined);
      for (const operation of fake.operations()) made.add(operation);
      fake.mock.restore();
    }
    expect([...made].sort()).toEqual(SHIP_API_CALLS.map((call) => call.operation).sort());
  });
});
