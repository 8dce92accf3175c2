import { releaseTimings, type DoraFigures } from './dora.js';
import type { Release } from './history.js';

export interface ReleasesReport {
  readonly environment: string;
  /** Where the releases come from: `pipeline <name>` or `service deployments of <service>`. */
  readonly source: string;
  /** The release pipeline (CodeDeploy controller). */
  readonly pipelineName?: string;
  /** The ECS service whose service deployments are the releases (ECS controller). */
  readonly serviceName?: string;
  readonly since: string;
  readonly window: string;
  readonly releases: readonly Release[];
  readonly dora: DoraFigures;
}

/** 95 → "1m 35s", 7260 → "2h 1m". */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** The first line of a commit message, at most 40 characters. */
const subject = (message: string | undefined) =>
  message === undefined ? '' : message.length > 40 ? `${message.slice(0, 39)}…` : message;

const minute = (date: Date | undefined) =>
  date ? date.toISOString().slice(0, 16).replace('T', ' ') : '-';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
}

export function renderReleasesReport(report: ReleasesReport): string {
  const { dora } = report;
  const lines = [
    `Releases of ${report.environment} (${report.source}) since ${minute(new Date(report.since))} (${report.window}), UTC`,
    '',
  ];
  if (report.releases.length === 0) {
    lines.push(
      report.pipelineName
        ? '(no pipeline execution in the window)'
        : '(no service deployment in the window)',
    );
  } else {
    lines.push(
      ...table([
        ['commit', 'start', 'end', 'outcome', 'duration', 'lead time', 'deployment', 'change'],
        ...report.releases.map((r) => {
          const t = releaseTimings(r);
          return [
            (r.commit ?? '-').slice(0, 7),
            minute(r.start),
            minute(r.end),
            r.outcome,
            formatDuration(t.durationSeconds),
            formatDuration(t.leadTimeSeconds),
            r.deploymentId ?? '-',
            r.commitMessage !== undefined
              ? subject(r.commitMessage)
              : r.targetServiceRevisionArn
                ? `revision ${r.targetServiceRevisionArn.split('/').at(-1)}`
                : '',
          ];
        }),
      ]),
    );
  }
  const percent = (rate: number | undefined) =>
    rate === undefined ? '-' : `${Math.round(rate * 100)}%`;
  lines.push(
    '',
    `DORA figures over ${report.window} (definitions: https://dora.dev/guides/dora-metrics-four-keys/)`,
    ...table([
      [
        'deployment frequency',
        `${dora.deploymentFrequency.count} to production (${dora.deploymentFrequency.perWeek.toFixed(1)} per week, ${dora.deploymentFrequency.perDay.toFixed(2)} per day)`,
      ],
      [
        'lead time for changes',
        dora.leadTimeForChanges.unavailable
          ? `not available: ${dora.leadTimeForChanges.unavailable}`
          : `median ${formatDuration(dora.leadTimeForChanges.medianSeconds)} from push to production traffic (${plural(dora.leadTimeForChanges.count, 'release')})`,
      ],
      [
        'change failure rate',
        `${percent(dora.changeFailureRate.rate)} (${dora.changeFailureRate.failed} of ${plural(dora.changeFailureRate.total, 'release')} that reached production rolled back)`,
      ],
      [
        'time to restore service',
        `median ${formatDuration(dora.timeToRestoreService.medianSeconds)} ${report.serviceName ? "from the rollback's start to the service deployment's end" : 'from production traffic on a failing release to traffic back'} (${plural(dora.timeToRestoreService.count, 'failure')})`,
      ],
    ]).map((line) => `  ${line}`),
  );
  return `${lines.join('\n')}\n`;
}

/** The report for scripts: dates as ISO strings, durations in seconds. */
export function releasesReportJson(report: ReleasesReport): unknown {
  return {
    environment: report.environment,
    source: report.source,
    pipelineName: report.pipelineName,
    serviceName: report.serviceName,
    since: report.since,
    window: report.window,
    releases: report.releases.map((r) => ({ ...r, ...releaseTimings(r) })),
    dora: report.dora,
  };
}
