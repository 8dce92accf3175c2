import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { RehearsalSummary } from '../rehearsal.js';
import type { LoadSecond, TrafficPoint } from '../load-series.js';

/** What one rehearsal recorded, for its report. */
export interface ReportInput {
  readonly summary: RehearsalSummary;
  /** The production load, second by second. */
  readonly load: readonly LoadSecond[];
  /** The production listener's weights each time they changed. */
  readonly traffic: readonly TrafficPoint[];
}

const COLOR_OF: Readonly<Record<string, string>> = { blue: '#1f6fd1', green: '#2a9d3f' };
/** CodePipeline, CodeBuild and CodeDeploy spell results differently; the chart shows three. */
const RESULT_COLORS = {
  domain: ['succeeded', 'failed', 'other'],
  range: ['#2a9d3f', '#d62728', '#9e9e9e'],
};
function resultOf(result: string): 'succeeded' | 'failed' | 'other' {
  const value = result.toLowerCase();
  if (value === 'succeeded') return 'succeeded';
  if (['failed', 'fault', 'timed_out', 'stopped'].includes(value)) return 'failed';
  return 'other';
}
const WIDTH = 880;

export interface RenderOptions {
  /** Where Vega-Lite's and Vega's warnings go. @default nowhere (a warning never stops a report) */
  readonly onWarning?: (message: string) => void;
}

/** Vega's logger interface, sending warnings to one function and dropping the rest. */
function logger(onWarning: (message: string) => void): vega.LoggerInterface {
  const quiet = vega.logger(vega.None);
  return Object.assign(quiet, {
    warn: (...args: readonly unknown[]) => {
      onWarning(args.map(String).join(' '));
      return quiet;
    },
  });
}

/** Renders a Vega-Lite spec to an SVG string, here, at write time (no script in the page). */
async function svg(spec: TopLevelSpec, options: RenderOptions): Promise<string> {
  const log = logger(options.onWarning ?? (() => undefined));
  const view = new vega.View(vega.parse(compile(spec, { logger: log }).spec), {
    renderer: 'none',
    logger: log,
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const seconds = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)} s`);

const extent = (times: readonly string[]): [number, number] => {
  const sorted = [...times].sort();
  // As epoch milliseconds: Vega-Lite reads a temporal domain of numbers alike in every layer.
  return [
    Date.parse(sorted[0] ?? '1970-01-01T00:00:00Z'),
    Date.parse(sorted.at(-1) ?? '1970-01-01T00:00:00Z'),
  ];
};

/** The timeline's x axis: the whole rehearsal, from the push. */
function wholeDomain(input: ReportInput): [number, number] {
  return extent(input.summary.events.flatMap((event) => [event.start, event.end]));
}

/**
 * The x axis the traffic, load and latency charts share: the deployment,
 * from the first answer to the last (a build of minutes would squeeze it).
 */
function deploymentDomain(input: ReportInput): [number, number] {
  return extent([
    ...input.load.map((second) => second.at),
    ...input.traffic.map((point) => point.at),
    ...input.summary.events
      .filter((event) => event.stage === 'Deploy')
      .flatMap((event) => [event.start, event.end]),
  ]);
}

function timelineSpec(input: ReportInput, domain: [number, number]): TopLevelSpec {
  const values = input.summary.events.map((event, index) => ({
    step: `${String(index + 1).padStart(2, '0')} ${event.stage} · ${'rollback' in event && event.rollback ? 'rollback ' : ''}${event.name}${'invocations' in event && event.invocations !== undefined ? ` (${event.hookStatus ?? 'no hookStatus'} ×${event.invocations})` : ''}`,
    start: event.start,
    // A step that took no measurable time still gets a visible sliver.
    end:
      event.end > event.start ? event.end : new Date(Date.parse(event.start) + 250).toISOString(),
    result: resultOf(event.result),
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Build phases and lifecycle events',
    width: WIDTH,
    height: Math.max(120, values.length * 18),
    data: { values },
    mark: { type: 'bar', cornerRadius: 2 },
    encoding: {
      y: { field: 'step', type: 'nominal', sort: null, title: null, axis: { labelLimit: 320 } },
      x: {
        field: 'start',
        type: 'temporal',
        title: null,
        scale: { domainMin: domain[0], domainMax: domain[1] },
      },
      x2: { field: 'end' },
      color: { field: 'result', type: 'nominal', scale: RESULT_COLORS, title: 'result' },
    },
  };
}

function trafficSpec(input: ReportInput, domain: [number, number]): TopLevelSpec {
  const points = [...input.traffic];
  const last = points.at(-1);
  // The last weights hold until the end of the rehearsal.
  if (last && Date.parse(last.at) < domain[1]) {
    points.push({ at: new Date(domain[1]).toISOString(), shares: last.shares });
  }
  const values = points.flatMap((point) =>
    Object.entries(point.shares).map(([set, share]) => ({ at: point.at, set, share })),
  );
  const sets = [...new Set(values.map((value) => value.set))].sort();
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Production traffic share by task set (listener weights), during the deployment',
    width: WIDTH,
    height: 140,
    data: { values },
    mark: { type: 'area', interpolate: 'step-after' },
    encoding: {
      x: { field: 'at', type: 'temporal', title: null, scale: { domain } },
      y: {
        field: 'share',
        type: 'quantitative',
        stack: 'zero',
        title: '%',
        scale: { domain: [0, 100] },
      },
      color: {
        field: 'set',
        type: 'nominal',
        title: 'task set',
        scale: { domain: sets, range: sets.map((set) => COLOR_OF[set] ?? '#888888') },
      },
    },
  };
}

/**
 * Vertical rules at the start of each deployment event, drawn over a load
 * chart: on an x scale of their own with the same domain (and no axis), since
 * Vega-Lite cannot merge a temporal domain written in two layers.
 */
function eventRules(input: ReportInput, domain: [number, number]) {
  return {
    data: {
      values: input.summary.events
        .filter((event) => event.stage === 'Deploy')
        .map((event) => ({ at: event.start, name: event.name })),
    },
    mark: { type: 'rule' as const, color: '#bbbbbb', strokeDash: [3, 3] },
    encoding: {
      x: { field: 'at', type: 'temporal' as const, axis: null, scale: { domain } },
    },
  };
}

function requestsSpec(input: ReportInput, domain: [number, number]): TopLevelSpec {
  const values = input.load.flatMap((second) => [
    { at: second.at, series: 'answered', value: second.requests - second.failed },
    { at: second.at, series: 'failed', value: second.failed },
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Requests per second on the production listener (failed in red)',
    width: WIDTH,
    height: 140,
    resolve: { scale: { x: 'independent' } },
    layer: [
      eventRules(input, domain),
      {
        data: { values },
        mark: { type: 'area', interpolate: 'step-after' },
        encoding: {
          x: { field: 'at', type: 'temporal', title: null, scale: { domain } },
          y: { field: 'value', type: 'quantitative', stack: 'zero', title: 'requests/s' },
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            scale: { domain: ['answered', 'failed'], range: ['#7f8c9b', '#d62728'] },
          },
        },
      },
    ],
  };
}

function latencySpec(input: ReportInput, domain: [number, number]): TopLevelSpec {
  const values = input.load.flatMap((second) => [
    ...(second.p50Ms === null ? [] : [{ at: second.at, percentile: 'p50', ms: second.p50Ms }]),
    ...(second.p99Ms === null ? [] : [{ at: second.at, percentile: 'p99', ms: second.p99Ms }]),
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Latency per second, p50 and p99 (ms)',
    width: WIDTH,
    height: 140,
    resolve: { scale: { x: 'independent' } },
    layer: [
      eventRules(input, domain),
      {
        data: { values },
        mark: { type: 'line' },
        encoding: {
          x: { field: 'at', type: 'temporal', title: null, scale: { domain } },
          y: { field: 'ms', type: 'quantitative', title: 'ms' },
          color: {
            field: 'percentile',
            type: 'nominal',
            title: null,
            scale: { domain: ['p50', 'p99'], range: ['#1f6fd1', '#e3882b'] },
          },
        },
      },
    ],
  };
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = (row: readonly string[], tag: 'td' | 'th') =>
    `<tr>${row.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join('')}</tr>`;
  return `<table><thead>${cells(head, 'th')}</thead><tbody>${rows.map((row) => cells(row, 'td')).join('')}</tbody></table>`;
}

/** One self-contained HTML page (inline SVG and CSS, no script, nothing fetched). */
export async function renderReport(
  input: ReportInput,
  options: RenderOptions = {},
): Promise<string> {
  const { summary } = input;
  const domain = deploymentDomain(input);
  const hookedEvents = summary.events.flatMap((event) =>
    event.stage === 'Deploy' && event.invocations !== undefined ? [event] : [],
  );
  const charts = await Promise.all([
    svg(timelineSpec(input, wholeDomain(input)), options),
    svg(trafficSpec(input, domain), options),
    svg(requestsSpec(input, domain), options),
    svg(latencySpec(input, domain), options),
  ]);
  const { timings } = summary;
  const callCounts = new Map<string, number>();
  for (const call of summary.awsCalls) callCounts.set(call, (callCounts.get(call) ?? 0) + 1);
  const strategy =
    summary.strategy.type === 'all-at-once'
      ? 'all at once'
      : `${summary.strategy.type} ${summary.strategy.percent} % every ${summary.strategy.intervalMinutes} min`;
  const title = `Rehearsal ${summary.outcome}: ${summary.version.slice(0, 12)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1000px; color: #1d2330; }
h1 { font-size: 22px; margin: 0 0 4px; }
.outcome { display: inline-block; padding: 2px 10px; border-radius: 10px; color: #fff; background: ${summary.outcome === 'succeeded' ? '#2a9d3f' : '#d62728'}; }
.chart { margin: 18px 0; }
table { border-collapse: collapse; margin: 8px 0 18px; }
th, td { border: 1px solid #d9dde3; padding: 3px 10px; text-align: left; }
th { background: #f3f5f8; }
.muted { color: #5b6473; }
</style>
</head>
<body>
<h1><span class="outcome">${escapeHtml(summary.outcome)}</span> Rehearsal of ${escapeHtml(summary.version.slice(0, 12))}</h1>
<p class="muted">${escapeHtml(
    `${summary.colors.blue} → ${summary.colors.green}, ${summary.controller === 'ecs' ? 'ECS blue/green' : 'CodeDeploy'} ${strategy}${summary.fault ? `, fault ${summary.fault}` : ''}; environment ${summary.infraEnvironment}; source ${summary.source.commitId.slice(0, 12)}${summary.source.dirty ? ' (dirty working tree)' : ''}; ${summary.requests} requests, ${summary.failedRequests} failed${summary.reason ? `; ${summary.reason}` : ''}`,
  )}</p>
${charts.map((chart) => `<div class="chart">${chart}</div>`).join('\n')}
<h2>Timings</h2>
${table(
  ['build', 'green healthy', 'health gate', 'hooks', 'shift', 'drain', 'total', 'time scale'],
  [
    [
      seconds(timings.buildSeconds),
      seconds(timings.greenHealthySeconds),
      `${timings.healthGateSeconds} s`,
      seconds(timings.hookSeconds),
      seconds(timings.shiftSeconds),
      seconds(timings.drainSeconds),
      seconds(timings.totalSeconds),
      summary.timeScale === 1 ? 'real waits' : `waits ×${summary.timeScale.toFixed(4)}`,
    ],
  ],
)}
<h2>Requests by phase</h2>
${table(
  ['phase', 'requests', 'failed', 'reasons'],
  Object.entries(summary.phases).map(([phase, count]) => [
    phase,
    String(count.requests),
    String(count.failed),
    count.reasons.join('; '),
  ]),
)}
${
  hookedEvents.length > 0
    ? `<h2>Lifecycle hooks</h2>
${table(
  ['stage', 'hookStatus', 'invocations', 'detail'],
  hookedEvents.map((event) => [
    `${event.rollback ? 'rollback: ' : ''}${event.name}`,
    event.hookStatus ?? 'no hookStatus',
    String(event.invocations),
    event.detail,
  ]),
)}
`
    : ''
}<h2>AWS calls the hooks made</h2>
${table(
  ['call', 'times'],
  [...callCounts].map(([call, count]) => [call, String(count)]),
)}
<p class="muted">Written by <code>pnpm rehearse --report</code>. Charts: Vega-Lite, rendered to SVG when the page was written; the page needs no network.</p>
</body>
</html>
`;
}
