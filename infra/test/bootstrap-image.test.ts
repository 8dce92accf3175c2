import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { afterAll, describe, expect, it } from 'vitest';
import { composeStacks } from '../lib/app.js';
import { cdkContext, stagingConfig } from './support.js';

// Stage the bootstrap image's build context for real (as `cdk synth` does)
// into a temporary cloud assembly, and look at what `cdk deploy` would send
// to `docker build`.
const outdir = mkdtempSync(join(tmpdir(), 'webapp-color-cdk-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const app = new App({ outdir, context: cdkContext });
composeStacks(app, stagingConfig, webappColor);
app.synth();

const stagedContexts = readdirSync(outdir)
  .map((name) => join(outdir, name))
  .filter((path) => existsSync(join(path, 'pnpm-workspace.yaml')));

describe('Bootstrap image asset', () => {
  it('creates exactly one staged Docker build context (the repository root)', () => {
    expect(stagedContexts).toHaveLength(1);
  });

  const context = stagedContexts[0] ?? outdir;

  it("keeps the app's Dockerfile, although .dockerignore leaves Dockerfiles out", () => {
    expect(existsSync(join(context, webappColor.app.dockerfile))).toBe(true);
    expect(existsSync(join(context, '.dockerignore'))).toBe(true);
  });

  it('keeps what turbo prune and the build need', () => {
    for (const path of [
      'package.json',
      'pnpm-lock.yaml',
      'tsconfig.base.json',
      join(webappColor.app.directory, 'package.json'),
      join(webappColor.app.directory, 'src'),
      'packages/deploy-specs/package.json',
      'infra/package.json',
    ]) {
      expect(existsSync(join(context, path)), path).toBe(true);
    }
  });

  it('leaves out dependencies, build output, VCS data and the infra sources', () => {
    for (const path of [
      'node_modules',
      '.git',
      join(webappColor.app.directory, 'node_modules'),
      join(webappColor.app.directory, 'dist'),
      'infra/lib',
      'infra/cdk.out',
    ]) {
      expect(existsSync(join(context, path)), path).toBe(false);
    }
  });

  it('builds the image with APP_VERSION=bootstrap, not the Dockerfile default "dev"', () => {
    const manifest = JSON.parse(
      readFileSync(join(outdir, 'myproject-staging-app.assets.json'), 'utf8'),
    ) as { dockerImages: Record<string, { source: { dockerBuildArgs?: Record<string, string> } }> };
    const images = Object.values(manifest.dockerImages);
    expect(images).toHaveLength(1);
    expect(images[0]!.source.dockerBuildArgs).toEqual({ APP_VERSION: 'bootstrap' });
  });
});
