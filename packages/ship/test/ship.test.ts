import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { parseEcsRelease } from '../src/release-files.js';
import { RELEASE_TAG_KEY, ship, ShipError } from '../src/ship.js';
import { CLUSTER, fakeService, PAUSE_HOOK_ID, SERVICE } from './fake-ecs.js';
import { renderedRelease } from './release.js';

const files = renderedRelease();
const release = parseEcsRelease(files.taskdef, files.imageDefinitions);
const noWait = () => Promise.resolve();
let fake: ReturnType<typeof fakeService> | undefined;
afterEach(() => fake?.mock.restore());

describe('ship', () => {
  it('registers the rendered task definition, updates the service and follows the deployment to SUCCESSFUL', async () => {
    fake = fakeService({ current: { revision: 3 }, listDelay: 1 });
    const lines: string[] = [];
    const result = await ship({
      ecs: fake.client,
      cluster: CLUSTER,
      service: SERVICE,
      release,
      sleep: noWait,
      log: (line) => lines.push(line),
    });
    expect(result).toEqual({
      taskDefinitionArn: fake.taskDefinitionArn(4),
      started: true,
      deployment: {
        arn: expect.stringContaining(':service-deployment/') as string,
        status: 'SUCCESSFUL',
      },
    });
    // The full taskdef.json as rendered, tagged with its sha256: what changed in the definition ships.
    const registered = fake.mock.commandCalls(RegisterTaskDefinitionCommand)[0]!.args[0].input;
    expect(registered).toEqual({
      ...JSON.parse(files.taskdef),
      tags: [{ key: RELEASE_TAG_KEY, value: release.sha256 }],
    });
    expect(fake.mock.commandCalls(UpdateServiceCommand)[0]!.args[0].input).toEqual({
      cluster: CLUSTER,
      service: SERVICE,
      taskDefinition: fake.taskDefinitionArn(4),
    });
    expect(lines.some((line) => line.includes('IN_PROGRESS (PRODUCTION_TRAFFIC_SHIFT)'))).toBe(
      true,
    );
  });

  it('waits through a PAUSE hook, saying once which hookId to continue', async () => {
    fake = fakeService({
      current: { revision: 3 },
      next: {
        statuses: ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCESSFUL'],
        pausedReads: 2,
      },
    });
    const lines: string[] = [];
    const result = await ship({
      ecs: fake.client,
      cluster: CLUSTER,
      service: SERVICE,
      release,
      sleep: noWait,
      log: (line) => lines.push(line),
    });
    expect(result.deployment?.status).toBe('SUCCESSFUL');
    const pauses = lines.filter((line) => line.includes('waiting for ContinueServiceDeployment'));
    expect(pauses).toEqual([
      expect.stringContaining(
        `paused; waiting for ContinueServiceDeployment (hookId ${PAUSE_HOOK_ID}, action CONTINUE or ROLLBACK); at 2026-12-02T14:00:00.000Z ECS takes ROLLBACK`,
      ),
    ]);
    expect(lines.some((line) => line.includes('IN_PROGRESS (POST_TEST_TRAFFIC_SHIFT)'))).toBe(true);
  });

  it('fails on a rollback, naming the deployment, its status and its reason', async () => {
    fake = fakeService({
      current: { revision: 3 },
      next: {
        statuses: ['IN_PROGRESS', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL'],
        statusReason: 'Alarm myproject-staging-ecs-5xx in ALARM',
      },
    });
    const failure = ship({
      ecs: fake.client,
      cluster: CLUSTER,
      service: SERVICE,
      release,
      sleep: noWait,
    });
    await expect(failure).rejects.toThrow(ShipError);
    await expect(failure).rejects.toThrow(
      /service deployment arn:aws:ecs:[^ ]+:service-deployment\/myproject-staging-ecs\/webapp-color\/dep1 ended ROLLBACK_SUCCESSFUL: Alarm myproject-staging-ecs-5xx in ALARM\. ECS rolled the service back to arn:aws:ecs:[^ ]+:service-revision\//,
    );
    // The service runs the source revision again; the failed one leaves the family's ACTIVE revisions.
    expect(fake.current).toBe(fake.taskDefinitionArn(3));
    expect(fake.deregistered).toEqual([fake.taskDefinitionArn(4)]);
  });

  it('fails on STOPPED and ROLLBACK_FAILED too', async () => {
    for (const status of ['STOPPED', 'ROLLBACK_FAILED'] as const) {
      fake = fakeService({
        current: { revision: 3 },
        next: { statuses: [status], statusReason: 'hook FAILED' },
      });
      await expect(
        ship({ ecs: fake.client, cluster: CLUSTER, service: SERVICE, release, sleep: noWait }),
      ).rejects.toThrow(new RegExp(`ended ${status}: hook FAILED`));
      // Not rolled back to another revision: the service still names the release's, which stays.
      expect(fake.deregistered).toEqual([]);
      fake.mock.restore();
    }
  });

  it('on a retry, follows the deployment of this release already under way instead of starting another', async () => {
    fake = fakeService({
      current: { revision: 4, tags: [{ key: RELEASE_TAG_KEY, value: release.sha256 }] },
      currentDeployment: { statuses: ['IN_PROGRESS', 'IN_PROGRESS', 'SUCCESSFUL'] },
    });
    const result = await ship({
      ecs: fake.client,
      cluster: CLUSTER,
      service: SERVICE,
      release,
      sleep: noWait,
    });
    expect(result).toMatchObject({ taskDefinitionArn: fake.taskDefinitionArn(4), started: false });
    expect(result.deployment?.status).toBe('SUCCESSFUL');
    expect(fake.operations()).not.toContain('RegisterTaskDefinition');
    expect(fake.operations()).not.toContain('UpdateService');
  });

  it('deploys when the current revision is another release', async () => {
    fake = fakeService({
      current: { revision: 4, tags: [{ key: RELEASE_TAG_KEY, value: 'f'.repeat(64) }] },
    });
    const result = await ship({
      ecs: fake.client,
      cluster: CLUSTER,
      service: SERVICE,
      release,
      sleep: noWait,
    });
    expect(result.started).toBe(true);
    expect(fake.current).toBe(fake.taskDefinitionArn(5));
  });

  it('refuses a service on another controller or a missing service, changing nothing', async () => {
    fake = fakeService({ current: { revision: 3 }, controller: 'CODE_DEPLOY' });
    await expect(
      ship({ ecs: fake.client, cluster: CLUSTER, service: SERVICE, release, sleep: noWait }),
    ).rejects.toThrow(/uses the CODE_DEPLOY deployment controller/);
    await expect(
      ship({ ecs: fake.client, cluster: CLUSTER, service: 'other', release, sleep: noWait }),
    ).rejects.toThrow(`service other in cluster ${CLUSTER}: MISSING; nothing was changed`);
    expect(fake.operations()).toEqual(['DescribeServices', 'DescribeServices']);
  });
});

describe('the program', () => {
  async function releaseDir(taskdef = files.taskdef, imageDefinitions = files.imageDefinitions) {
    const dir = await mkdtemp(join(tmpdir(), 'ship-'));
    await writeFile(join(dir, 'taskdef.json'), taskdef);
    await writeFile(join(dir, 'imagedefinitions.json'), imageDefinitions);
    return dir;
  }
  function io(env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    return {
      out,
      err,
      io: {
        env: { ECS_CLUSTER: CLUSTER, ECS_SERVICE: SERVICE, ...env },
        stdout: (line: string) => void out.push(line),
        stderr: (line: string) => void err.push(line),
        ecs: fake!.client,
        sleep: noWait,
      },
    };
  }

  it('exits 0 on SUCCESSFUL, reading cluster and service from the environment', async () => {
    fake = fakeService({ current: { revision: 3 } });
    const run = io();
    expect(await main(['--release-dir', await releaseDir()], run.io)).toBe(0);
    expect(run.out.at(-1)).toMatch(
      /SUCCESSFUL: service webapp-color runs .*:task-definition\/.*:4$/,
    );
  });

  it('exits 1 on a rollback with the reason', async () => {
    fake = fakeService({
      current: { revision: 3 },
      next: { statuses: ['ROLLBACK_SUCCESSFUL'], statusReason: 'TEST_TRAFFIC_SHIFT hook FAILED' },
    });
    const run = io();
    expect(await main(['--release-dir', await releaseDir()], run.io)).toBe(1);
    expect(run.err.join('\n')).toContain(
      'ended ROLLBACK_SUCCESSFUL: TEST_TRAFFIC_SHIFT hook FAILED',
    );
  });

  it('exits 1 on a bad release file, naming the file and field, before any AWS call', async () => {
    fake = fakeService({ current: { revision: 3 } });
    const tagged = files.taskdef.replace(/"image": "[^"]+"/, '"image": "repo.example/app:latest"');
    const run = io();
    expect(await main(['--release-dir', await releaseDir(tagged)], run.io)).toBe(1);
    expect(run.err.join('\n')).toContain(
      'ship: taskdef.json: containerDefinitions[0].image is "repo.example/app:latest"; expected an image by digest',
    );
    const missing = io();
    expect(await main(['--release-dir', join(tmpdir(), 'no-such-release')], missing.io)).toBe(1);
    expect(missing.err.join('\n')).toMatch(
      /ship: taskdef\.json: cannot be read in .*no-such-release \(ENOENT\)/,
    );
    expect(fake.operations()).toEqual([]);
  });

  it('exits 2 on usage errors, naming the flag', async () => {
    fake = fakeService({ current: { revision: 3 } });
    const run = io({ ECS_CLUSTER: '' });
    expect(await main(['--poll-seconds', '0'], run.io)).toBe(2);
    expect(run.err[0]!.split('\n')[0]).toBe(
      'ship: no cluster: pass --cluster or set ECS_CLUSTER; --poll-seconds "0": expected a whole number of seconds from 1 to 300',
    );
  });
});
