import { startAwsStandIn, type AwsStandIn } from '@webapp-color/aws-local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { doraFigures, median, type Release } from '../src/index.js';
import { runCli, useStandIn } from './support.js';
import { NAMES, healthyWorld } from './world.js';

let aws: AwsStandIn;
beforeAll(async () => {
  aws = await startAwsStandIn(healthyWorld());
  useStandIn(aws);
});
afterAll(() => aws.close());
beforeEach(() => {
  Object.assign(aws.world, healthyWorld());
});

interface JsonRelease {
  commit: string;
  commitMessage: string;
  outcome: string;
  deploymentId?: string;
  durationSeconds?: number;
  leadTimeSeconds?: number;
}

describe('releases', () => {
  it('lists the window’s releases with their outcome, duration and lead time, and the four figures', async () => {
    const { code, stdout, stderr } = await runCli(['releases', '--env', 'staging', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      pipelineName: string;
      window: string;
      releases: JsonRelease[];
      dora: ReturnType<typeof doraFigures>;
    };
    expect(report.pipelineName).toBe(NAMES.pipeline);
    expect(report.window).toBe('30d');
    // Newest first; the release of 40 days ago is outside the window.
    expect(
      report.releases.map((r) => [
        r.commit.slice(0, 7),
        r.outcome,
        r.deploymentId,
        r.durationSeconds,
        r.leadTimeSeconds,
      ]),
    ).toEqual([
      ['5555555', 'stopped-before-production', 'd-DDDDDDDD5', (9 + 6) * 60, undefined],
      ['4444444', 'failed-before-deploy', undefined, 6 * 60, undefined],
      ['3333333', 'deployed', 'd-CCCCCCCC3', (9 + 2 + 16) * 60, 19 * 60],
      ['2222222', 'rolled-back', 'd-BBBBBBBB2', (9 + 12) * 60, undefined],
      ['1111111', 'deployed', 'd-AAAAAAAA1', (9 + 16) * 60, 17 * 60],
    ]);
    expect(report.releases[0]!.commitMessage).toBe('release e5');
    expect(report.dora).toEqual({
      windowDays: 30,
      deploymentFrequency: { count: 2, perDay: 2 / 30, perWeek: (2 / 30) * 7 },
      leadTimeForChanges: { medianSeconds: 18 * 60, count: 2 },
      changeFailureRate: { rate: 1 / 3, failed: 1, total: 3 },
      timeToRestoreService: { medianSeconds: 5 * 60, count: 1 },
    });
    expect(stderr).toContain(`reading ${NAMES.pipeline}'s executions since`);
  });

  it('prints a table and the four figures with their source', async () => {
    const { code, stdout } = await runCli(['releases', '--env', 'staging']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Releases of staging \(pipeline .*\) since \d{4}-\d\d-\d\d \d\d:\d\d \(30d\), UTC$/,
    );
    expect(lines[2]).toMatch(
      /^commit\s+start\s+end\s+outcome\s+duration\s+lead time\s+deployment\s+change$/,
    );
    expect(lines[3]).toMatch(
      /^5555555 .* stopped-before-production\s+15m 0s\s+-\s+d-DDDDDDDD5\s+release e5$/,
    );
    expect(lines[5]).toMatch(/^3333333 .* deployed\s+27m 0s\s+19m 0s\s+d-CCCCCCCC3\s+release e3$/);
    expect(stdout).toContain(
      'DORA figures over 30d (definitions: https://dora.dev/guides/dora-metrics-four-keys/)',
    );
    expect(stdout).toMatch(
      /deployment frequency\s+2 to production \(0\.5 per week, 0\.07 per day\)/,
    );
    expect(stdout).toMatch(
      /lead time for changes\s+median 18m 0s from push to production traffic \(2 releases\)/,
    );
    expect(stdout).toMatch(
      /change failure rate\s+33% \(1 of 3 releases that reached production rolled back\)/,
    );
    expect(stdout).toMatch(/time to restore service\s+median 5m 0s .* \(1 failure\)/);
  });

  it('narrows the window with --since', async () => {
    const { code, stdout } = await runCli([
      'releases',
      '--env',
      'staging',
      '--since',
      '7d',
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      releases: JsonRelease[];
      dora: ReturnType<typeof doraFigures>;
    };
    expect(report.releases.map((r) => r.outcome)).toEqual([
      'stopped-before-production',
      'failed-before-deploy',
    ]);
    expect(report.dora.deploymentFrequency.count).toBe(0);
    expect(report.dora.changeFailureRate.rate).toBeUndefined();
  });

  it('exits 2 naming --since, the value and what is allowed', async () => {
    const { code, stderr } = await runCli(['releases', '--env', 'staging', '--since', '30 days']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'webapp-color-ops: --since "30 days" is not a window: expected a whole number and h, d or w (hours, days, weeks) such as 12h, 30d or 8w, from 1h to 366d (CodePipeline keeps 12 months of history)\n',
    );
  });

  it('exits 2 on an unknown option, naming it', async () => {
    const { code, stderr } = await runCli(['releases', '--env', 'staging', '--sinse', '7d']);
    expect(code).toBe(2);
    expect(stderr).toContain("error: unknown option '--sinse'");
  });

  it('exits 1 with what to do when the stack is not deployed', async () => {
    aws.world.stacks = [];
    const { code, stderr } = await runCli(['releases', '--env', 'staging']);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'stack myproject-staging-app does not exist in us-east-2: deploy it first (pnpm exec cdk deploy --all -c env=staging)',
    );
  });

  it('shows an example in --help', async () => {
    const { code, stdout } = await runCli(['releases', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('pnpm releases --env staging --since 8w');
  });
});

describe('doraFigures', () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 12, minutes));
  const release = (overrides: Partial<Release>): Release => ({
    pipelineExecutionId: 'e',
    pipelineStatus: 'Succeeded',
    start: at(0),
    outcome: 'deployed',
    ...overrides,
  });

  it('counts only releases that reached production toward the failure rate', () => {
    const figures = doraFigures(
      [
        release({ productionAt: at(10) }),
        release({ outcome: 'rolled-back', failedInProductionAt: at(8), restoredAt: at(11) }),
        release({ outcome: 'stopped-before-production' }),
        release({ outcome: 'failed-before-deploy' }),
        release({ outcome: 'in-progress' }),
      ],
      7 * 24,
    );
    expect(figures.changeFailureRate).toEqual({ rate: 0.5, failed: 1, total: 2 });
    expect(figures.deploymentFrequency).toEqual({ count: 1, perDay: 1 / 7, perWeek: 1 });
    expect(figures.leadTimeForChanges).toEqual({ medianSeconds: 600, count: 1 });
    expect(figures.timeToRestoreService).toEqual({ medianSeconds: 180, count: 1 });
  });

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });
});
