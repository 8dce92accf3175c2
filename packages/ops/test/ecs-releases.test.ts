import { startAwsStandIn, type AwsStandIn } from '@webapp-color/aws-local';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DoraFigures } from '../src/index.js';
import { runCli, useStandIn } from './support.js';
import {
  ECS_NAMES,
  healthyEcsWorld,
  revisionArn,
  serviceDeployment,
  serviceDeploymentArn,
} from './world-ecs.js';

vi.mock('@webapp-color/infra/environments', async (importOriginal) => {
  const { withStagingEcs } = await import('./ecs-environment.js');
  return withStagingEcs(await importOriginal());
});

let aws: AwsStandIn;
beforeAll(async () => {
  aws = await startAwsStandIn(healthyEcsWorld());
  useStandIn(aws);
});
afterAll(() => aws.close());
beforeEach(() => {
  Object.assign(aws.world, healthyEcsWorld());
});

interface JsonRelease {
  outcome: string;
  deploymentId?: string;
  deploymentStatus?: string;
  serviceDeploymentArn?: string;
  targetServiceRevisionArn?: string;
  commit?: string;
  durationSeconds?: number;
  leadTimeSeconds?: number;
}

describe('releases on the ECS controller', () => {
  it('lists the service deployments of the window and the four figures, lead time not available', async () => {
    const { code, stdout, stderr } = await runCli(['releases', '--env', 'staging-ecs', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      source: string;
      serviceName: string;
      pipelineName?: string;
      releases: JsonRelease[];
      dora: DoraFigures;
    };
    expect(report.source).toBe(`service deployments of ${ECS_NAMES.service}`);
    expect(report.serviceName).toBe(ECS_NAMES.service);
    expect(report.pipelineName).toBeUndefined();
    // Newest first; the deployment of 40 days ago is outside the window.
    expect(
      report.releases.map((r) => [
        r.deploymentId,
        r.deploymentStatus,
        r.outcome,
        r.durationSeconds,
        r.leadTimeSeconds,
        r.targetServiceRevisionArn,
      ]),
    ).toEqual([
      ['eeee555555', 'SUCCESSFUL', 'deployed', 25 * 60, undefined, revisionArn(7)],
      ['dddd444444', 'STOPPED', 'stopped', 4 * 60, undefined, revisionArn(6)],
      ['cccc333333', 'SUCCESSFUL', 'deployed', 27 * 60, undefined, revisionArn(5)],
      ['bbbb222222', 'ROLLBACK_SUCCESSFUL', 'rolled-back', 17 * 60, undefined, revisionArn(4)],
      ['aaaa111111', 'SUCCESSFUL', 'deployed', 25 * 60, undefined, revisionArn(3)],
    ]);
    expect(report.releases[0]!.serviceDeploymentArn).toBe(serviceDeploymentArn('eeee555555'));
    expect(report.releases[0]!.commit).toBeUndefined();
    expect(report.dora).toEqual({
      windowDays: 30,
      deploymentFrequency: { count: 3, perDay: 3 / 30, perWeek: (3 / 30) * 7 },
      leadTimeForChanges: {
        count: 0,
        unavailable:
          'releases of the ecs controller are read from its service deployments, which name no commit; joining them to the pipeline executions that record the push is not done yet',
      },
      changeFailureRate: { rate: 1 / 4, failed: 1, total: 4 },
      // The alarm fired 12 min in (the rollback's start); the rollback ended at 17 min.
      timeToRestoreService: { medianSeconds: 5 * 60, count: 1 },
    });
    expect(stderr).toContain(`reading ${ECS_NAMES.service}'s service deployments since`);
  });

  it('prints the table and says why lead time is not available', async () => {
    const { code, stdout } = await runCli(['releases', '--env', 'staging-ecs']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `^Releases of staging-ecs \\(service deployments of ${ECS_NAMES.service}\\) since `,
      ),
    );
    expect(stdout).toMatch(
      /-\s+\S+ \S+\s+\S+ \S+\s+rolled-back\s+17m 0s\s+-\s+bbbb222222\s+revision 4/,
    );
    expect(stdout).toContain(
      'lead time for changes    not available: releases of the ecs controller are read from its service deployments, which name no commit',
    );
    expect(stdout).toContain(
      'change failure rate      25% (1 of 4 releases that reached production rolled back)',
    );
    expect(stdout).toContain(
      "time to restore service  median 5m 0s from the rollback's start to the service deployment's end (1 failure)",
    );
  });

  it('counts a deployment still running as in progress, in no figure', async () => {
    aws.world.services[0]!.serviceDeployments!.push(
      serviceDeployment('running001', new Date(Date.now() - 600_000), 'IN_PROGRESS', 8),
    );
    const { code, stdout } = await runCli(['releases', '--env', 'staging-ecs', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { releases: JsonRelease[]; dora: DoraFigures };
    expect(report.releases[0]).toMatchObject({
      deploymentId: 'running001',
      outcome: 'in-progress',
    });
    expect(report.releases[0]!.durationSeconds).toBeUndefined();
    expect(report.dora.deploymentFrequency.count).toBe(3);
    expect(report.dora.changeFailureRate.total).toBe(4);
  });

  it('exits 1 with the reason when the service is gone', async () => {
    aws.world.services[0]!.serviceName = 'renamed';
    const { code, stderr } = await runCli(['releases', '--env', 'staging-ecs']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/ServiceNotFoundException: Service not found\./);
  });
});
