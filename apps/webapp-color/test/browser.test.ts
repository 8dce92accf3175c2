/// <reference lib="dom" />
// A real browser: Debian's chromium, driven by playwright-core. Skipped, with
// a warning that says why, where /usr/bin/chromium is not installed.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { COLORS } from '../src/colors.js';
import { securityHeaders } from '../src/security.js';
import { captureLogs } from './helpers/logs.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const resultsDirectory = fileURLToPath(new URL('../test-results/', import.meta.url));
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `browser test SKIPPED: ${CHROMIUM} not found (install the Debian package "chromium"; CI does)`,
  );
}

function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

interface PageReport {
  backgroundColor: string;
  heading: string;
  violations: string[];
  consoleErrors: string[];
}

describe.skipIf(!hasChromium)('the page in headless Chromium', () => {
  let server: Server;
  let baseUrl: string;
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    const app = createApp({
      color: 'pink',
      version: 'browser-test',
      hostname: 'browser-host',
      logger: captureLogs().logger,
    });
    server = createServer((req, res) => {
      if (req.url !== '/csp-probe') {
        app(req, res);
        return;
      }
      // A page that breaks the CSP, to prove violations are seen.
      res.writeHead(200, { ...securityHeaders(), 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!DOCTYPE html><p style="color: red">inline style</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    userDataDir = await mkdtemp(join(tmpdir(), 'webapp-color-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      timeout: 20_000,
    });
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    server?.closeAllConnections();
    server?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  async function visit(path: string, screenshot?: string): Promise<PageReport> {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    // Init scripts come from the driver, so the page's CSP does not block them.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener(
        'securitypolicyviolation',
        (event: SecurityPolicyViolationEvent) => {
          seen.push(`${event.violatedDirective} ${event.blockedURI}`);
        },
      );
    });
    const response = await page.goto(`${baseUrl}${path}`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    if (screenshot) {
      await mkdir(resultsDirectory, { recursive: true });
      await page.screenshot({ path: join(resultsDirectory, screenshot), fullPage: true });
    }
    const report = await page.evaluate(() => ({
      backgroundColor: getComputedStyle(document.body).backgroundColor,
      heading: document.querySelector('h1')?.textContent ?? '',
      violations: (window as unknown as { cspViolations: string[] }).cspViolations,
    }));
    await page.close();
    return { ...report, consoleErrors };
  }

  it('shows the color as the background and greets with the hostname', async () => {
    const report = await visit('/', 'webapp-color-page.png');
    expect(report.backgroundColor).toBe(rgb(COLORS.pink));
    expect(report.heading).toBe('Hello from browser-host!');
    expect(existsSync(join(resultsDirectory, 'webapp-color-page.png'))).toBe(true);
  });

  it('raises no CSP violation and no console error', async () => {
    const report = await visit('/');
    expect(report.violations).toEqual([]);
    expect(report.consoleErrors).toEqual([]);
  });

  it('does see a violation on a page that breaks the CSP (the check works)', async () => {
    const report = await visit('/csp-probe');
    expect(report.violations.some((line) => line.startsWith('style-src'))).toBe(true);
  });
});
