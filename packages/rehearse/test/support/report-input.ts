import type { RehearsalSummary } from '../../src/rehearsal.js';
import type { ReportInput } from '../../src/report/render.js';
import { LoadSeries } from '../../src/load-series.js';

const t0 = Date.parse('2026-12-02T10:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();

/** A rolled-back release: a smoke-test failure after a linear shift began, 30 requests per second. */
export function reportInput(): ReportInput {
  const events: RehearsalSummary['events'] = [
    {
      stage: 'Source',
      name: 'Source',
      start: at(0),
      end: at(1),
      durationSeconds: 1,
      result: 'Succeeded',
      detail: '',
    },
    {
      stage: 'Build',
      name: 'INSTALL',
      start: at(1),
      end: at(9),
      durationSeconds: 8,
      result: 'SUCCEEDED',
      detail: '',
    },
    {
      stage: 'Build',
      name: 'BUILD',
      start: at(9),
      end: at(20),
      durationSeconds: 11,
      result: 'SUCCEEDED',
      detail: '',
    },
    {
      stage: 'Deploy',
      name: 'Install',
      start: at(20),
      end: at(44),
      durationSeconds: 24,
      result: 'Succeeded',
      detail: '',
    },
    {
      stage: 'Deploy',
      name: 'AfterAllowTestTraffic',
      start: at(45),
      end: at(47),
      durationSeconds: 2,
      result: 'Failed',
      detail: 'GET / <b>500</b>',
    },
  ] as unknown as RehearsalSummary['events'];
  const series = new LoadSeries();
  for (let s = 20; s < 60; s++) {
    for (let i = 0; i < 30; i++) {
      const failed = s === 46 && i < 2;
      series.add(
        t0 + s * 1000 + i * 33,
        !failed,
        failed ? undefined : 4 + (i % 10) + (s > 44 ? 6 : 0),
      );
    }
  }
  const summary = {
    outcome: 'rolled-back',
    reason: 'AfterAllowTestTraffic failed',
    version: 'abc1234',
    source: { commitId: 'abc1234', headCommitId: 'abc1234', dirty: false, files: 120 },
    build: { status: 'SUCCEEDED', logFile: '/tmp/build.log', artifactFiles: [] },
    registry: { address: '127.0.0.1:5000', standsInFor: 'ECR', imageRequests: [] },
    engine: 'podman',
    infraEnvironment: 'staging',
    strategy: { type: 'linear', percent: 10, intervalMinutes: 1 },
    fault: 'smoke',
    colors: { blue: 'blue', green: 'green' },
    requests: 1200,
    failedRequests: 2,
    phases: {
      before: { requests: 700, failed: 0, reasons: [] },
      shift: { requests: 500, failed: 2, reasons: ['HTTP 503'] },
    },
    events,
    replacedTasks: [],
    timings: {
      buildSeconds: 20,
      greenHealthySeconds: 22,
      healthGateSeconds: 20,
      hookSeconds: 2,
      shiftSeconds: null,
      drainSeconds: null,
      totalSeconds: 60,
    },
    timeScale: 1 / 60,
    productionUrl: 'https://127.0.0.1:8443',
    testUrl: 'https://127.0.0.1:9443',
    kept: false,
    environmentKey: 'webapp-color-0123456789',
    awsCalls: [
      'codedeploy:GetDeployment',
      'ecs:DescribeTaskDefinition',
      'codedeploy:PutLifecycleEventHookExecutionStatus',
    ],
  } as unknown as RehearsalSummary;
  return {
    summary,
    load: series.seconds(),
    traffic: [
      { at: at(20), shares: { blue: 100, green: 0 } },
      { at: at(48), shares: { blue: 100, green: 0 } },
    ],
  };
}
