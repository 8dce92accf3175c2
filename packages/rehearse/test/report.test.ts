/// <reference lib="dom" />
// The release report: rendered from a recorded rehearsal, then opened in
// headless Chromium (Debian's package, driven by playwright-core). The browser
// part is skipped, with a warning, where /usr/bin/chromium is missing; CI
// installs it.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/render.js';
import { LoadSeries, percentile } from '../src/load-series.js';
import { reportInput } from './support/report-input.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `report browser test SKIPPED: ${CHROMIUM} not found (install the Debian package "chromium"; CI does)`,
  );
}
const resultsDirectory = fileURLToPath(new URL('../test-results/', import.meta.url));

describe('LoadSeries', () => {
  it('keeps answers per second, with nearest-rank percentiles of the answered ones', () => {
    const series = new LoadSeries();
    const base = Date.parse('2026-12-02T10:00:00Z');
    for (let i = 1; i <= 100; i++) series.add(base + i, true, i);
    series.add(base + 500, false);
    series.add(base + 2_100, true, 7);
    expect(series.seconds()).toEqual([
      { at: '2026-12-02T10:00:00.000Z', requests: 101, failed: 1, p50Ms: 50, p99Ms: 99 },
      { at: '2026-12-02T10:00:01.000Z', requests: 0, failed: 0, p50Ms: null, p99Ms: null },
      { at: '2026-12-02T10:00:02.000Z', requests: 1, failed: 0, p50Ms: 7, p99Ms: 7 },
    ]);
    expect(percentile([], 50)).toBeNull();
  });
});

describe('renderReport', () => {
  it('writes one page with four charts drawn at write time and no script or remote reference', async () => {
    const warnings: string[] = [];
    const html = await renderReport(reportInput(), {
      onWarning: (message) => warnings.push(message),
    });
    expect(warnings).toEqual([]);
    expect(html.match(/<svg[\s>]/g)).toHaveLength(4);
    for (const title of [
      'Build phases and lifecycle events',
      'Production traffic share by task set',
      'Requests per second on the production listener',
      'Latency per second, p50 and p99',
    ]) {
      expect(html).toContain(title);
    }
    expect(html).not.toMatch(/<script|<link|@import|src="http/i);
    expect(html).toContain('<td>codedeploy:GetDeployment</td><td>1</td>');
    expect(html).toContain('rolled-back');
    // The hook's detail is data, not markup.
    expect(html).not.toContain('<b>500</b>');
  });
});

describe('the report of an ECS-controller release', () => {
  it("lists the ECS controller's lifecycle hooks: stage, hookStatus, invocations, the rollback's again", async () => {
    const input = reportInput();
    const deploy = (name: string, extra: Record<string, unknown>) => ({
      stage: 'Deploy',
      name,
      start: '2026-12-02T10:00:45Z',
      end: '2026-12-02T10:00:47Z',
      durationSeconds: 2,
      result: 'Succeeded',
      detail: `${name} detail`,
      ...extra,
    });
    const summary = {
      ...input.summary,
      controller: 'ecs',
      events: [
        ...input.summary.events,
        deploy('POST_TEST_TRAFFIC_SHIFT', {
          result: 'Failed',
          hookStatus: 'FAILED',
          invocations: 7,
        }),
        deploy('TEST_TRAFFIC_SHIFT', { hookStatus: 'SUCCEEDED', invocations: 1, rollback: true }),
      ],
    } as unknown as typeof input.summary;
    const html = await renderReport({ ...input, summary });
    expect(html).toContain('ECS blue/green linear');
    expect(html).toContain(
      '<h2>Lifecycle hooks</h2>\n<table><thead><tr><th>stage</th><th>hookStatus</th><th>invocations</th><th>detail</th></tr></thead><tbody><tr><td>POST_TEST_TRAFFIC_SHIFT</td><td>FAILED</td><td>7</td><td>POST_TEST_TRAFFIC_SHIFT detail</td></tr><tr><td>rollback: TEST_TRAFFIC_SHIFT</td><td>SUCCEEDED</td><td>1</td>',
    );
    // CodeDeploy's events carry no hook counts: no such table.
    expect(await renderReport(input)).not.toContain('Lifecycle hooks');
  });
});

describe.skipIf(!hasChromium)('the report in headless Chromium', () => {
  it('renders the charts with no console error and no request beyond the file', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'rehearse-report-'));
    const file = join(directory, 'report.html');
    await writeFile(file, await renderReport(reportInput()));
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(file).href);
      const charts = await page.evaluate(() =>
        [...document.querySelectorAll('.chart svg')].map((chart) => ({
          width: chart.getBoundingClientRect().width,
          marks: chart.querySelectorAll('path, rect').length,
          title: chart.querySelector('.role-title-text')?.textContent ?? '',
        })),
      );
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      expect(charts).toHaveLength(4);
      for (const chart of charts) {
        expect(chart.width, chart.title).toBeGreaterThan(600);
        expect(chart.marks, chart.title).toBeGreaterThan(3);
      }
      await mkdir(resultsDirectory, { recursive: true });
      await page.screenshot({ path: join(resultsDirectory, 'report.png'), fullPage: true });
    } finally {
      await browser.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
