import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const infraDir = fileURLToPath(new URL('..', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'webapp-color-bin-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Run bin/app.ts the way the CDK CLI does: context in CDK_CONTEXT_JSON, output dir in CDK_OUTDIR. */
function runApp(context: Record<string, unknown>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: infraDir,
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_OUTDIR: outdir,
      CDK_DEBUG: '',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('bin/app.ts', () => {
  it('fails when the environment is unknown, naming it and the ones allowed, without a stack trace', () => {
    const result = runApp({ env: 'nope' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Unknown environment "nope"');
    expect(result.stderr).toContain('expected one of staging');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(outdir)).toEqual([]);
  });

  it('fails when no environment is given, saying how to set it', () => {
    const result = runApp({});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('context "env"');
    expect(result.stderr).toContain('-c env=staging');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('synthesizes every registered environment for env=all, each under its own stack names', () => {
    const result = runApp({ env: 'all' });
    expect(result.stderr).not.toContain('webapp-color infra:');
    expect(result.status).toBe(0);
    const templates = readdirSync(outdir).filter((file) => file.endsWith('.template.json'));
    expect(templates.sort()).toEqual([
      'myproject-production-app.template.json',
      'myproject-production-stateful.template.json',
      'myproject-staging-app.template.json',
      'myproject-staging-ecs-app.template.json',
      'myproject-staging-ecs-stateful.template.json',
      'myproject-staging-stateful.template.json',
    ]);
  });
});
