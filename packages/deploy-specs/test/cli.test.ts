import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/command/program.js';
import { generatedFiles } from '../src/generated.js';
import { REPOSITORY_ROOT } from '../src/private/paths.js';
import { RELEASE_ENVIRONMENT } from './fixtures/release-environment.js';

async function cli(argv: string[], env: Record<string, string> = {}, cwd = REPOSITORY_ROOT) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

describe('deploy-specs validate and rules', () => {
  // The linter's own commands, as measure.mjs and CI call them through this CLI.
  it('validates with the linter, in its output formats', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-specs-'));
    writeFileSync(join(dir, 'taskdef.json'), '{"family": "web", "containerDefinitions": []}');
    const text = await cli(['validate', 'taskdef.json'], {}, dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^taskdef\.json:1:\d+ error TASKDEF_ESSENTIAL_CONTAINER /);
    const json = await cli(
      ['validate', '--format', 'json', '--kind', 'taskdef', 'taskdef.json'],
      {},
      dir,
    );
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      files: [{ file: 'taskdef.json', kind: 'taskdef' }],
    });
    expect(await cli(['validate', 'missing.json'], {}, dir)).toMatchObject({
      code: 2,
      stderr: 'deploy-specs: cannot read missing.json: no such file\n',
    });
  });

  it('validates the committed example release with the Dockerfile', async () => {
    const result = await cli([
      'validate',
      'buildspec.yaml',
      'packages/deploy-specs/examples/release/taskdef.json',
      'packages/deploy-specs/examples/release/appspec.yaml',
      '--dockerfile',
      'apps/webapp-color/Dockerfile',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });

  it('lists the rules', async () => {
    const result = await cli(['rules']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^TASKDEF_FARGATE_CPU_MEMORY {2}/m);
  });

  it('has --help for each command', async () => {
    for (const command of ['validate', 'rules', 'render', 'check', 'generate']) {
      const result = await cli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: deploy-specs ${command}`);
    }
  });
});

describe('deploy-specs render', () => {
  const ENV = RELEASE_ENVIRONMENT;
  const dockerfile = (dir: string) => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:22-slim\nEXPOSE 8080\n');
    return ['--dockerfile', 'Dockerfile'];
  };

  it('writes imageDetail.json, taskdef.json and appspec.yaml from the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-specs-'));
    const result = await cli(['render', '--out', 'release', ...dockerfile(dir)], ENV, dir);
    expect(result.code).toBe(0);
    expect(readdirSync(join(dir, 'release')).sort()).toEqual([
      'appspec.yaml',
      'imageDetail.json',
      'taskdef.json',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'release/imageDetail.json'), 'utf8'))).toEqual({
      ImageURI: `${ENV.IMAGE_REPOSITORY_URI}:${ENV.CODEBUILD_RESOLVED_SOURCE_VERSION}`,
    });
    expect(readFileSync(join(dir, 'release/taskdef.json'), 'utf8')).toContain(
      `"value": "${ENV.CODEBUILD_RESOLVED_SOURCE_VERSION}"`,
    );
  });

  it('names every missing variable and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-specs-'));
    const partial: Record<string, string> = { ...ENV };
    delete partial.TASK_ROLE_ARN;
    delete partial.LOG_GROUP_NAME;
    const result = await cli(['render', '--out', 'release', ...dockerfile(dir)], partial, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing environment variables: TASK_ROLE_ARN, LOG_GROUP_NAME');
    expect(existsSync(join(dir, 'release'))).toBe(false);
  });

  it('warns when the Dockerfile exposes another port, and still writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-specs-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM node:22-slim\nEXPOSE 3000\n');
    const result = await cli(
      ['render', '--out', 'release', '--dockerfile', 'Dockerfile'],
      ENV,
      dir,
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /warning RELEASE_DOCKERFILE_EXPOSE .*Dockerfile:2:1 exposes 3000/,
    );
    expect(existsSync(join(dir, 'release', 'taskdef.json'))).toBe(true);
  });

  it('renders the committed example with --example', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-specs-'));
    expect(
      (await cli(['render', '--example', '--out', '.', ...dockerfile(dir)], {}, dir)).code,
    ).toBe(0);
    const committed = join(REPOSITORY_ROOT, 'packages/deploy-specs/examples/release');
    for (const name of ['imageDetail.json', 'taskdef.json']) {
      expect(readFileSync(join(dir, name), 'utf8')).toBe(
        readFileSync(join(committed, name), 'utf8'),
      );
    }
    // The same AppSpec, with a modeline pointing at the schema from where each copy lives.
    const [modeline, ...appSpec] = readFileSync(join(dir, 'appspec.yaml'), 'utf8').split('\n');
    const [committedModeline, ...committedAppSpec] = readFileSync(
      join(committed, 'appspec.yaml'),
      'utf8',
    ).split('\n');
    expect(appSpec).toEqual(committedAppSpec);
    for (const [line, folder] of [
      [modeline, dir],
      [committedModeline, committed],
    ] as const) {
      const schema = /^# yaml-language-server: \$schema=(\S+)$/.exec(line ?? '')?.[1];
      expect(schema, line).toBeDefined();
      expect(existsSync(join(folder, schema!)), schema).toBe(true);
      expect(schema!.endsWith('schemas/appspec.schema.json')).toBe(true);
    }
  });

  it('fails when --out is a file, naming the flag and writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-specs-'));
    writeFileSync(join(dir, 'release'), 'not a folder');
    const result = await cli(
      ['render', '--example', '--out', 'release', ...dockerfile(dir)],
      {},
      dir,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--out release: cannot write there (it is a file, not a folder)',
    );
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(dir).sort()).toEqual(['Dockerfile', 'release'].sort());
    expect(readFileSync(join(dir, 'release'), 'utf8')).toBe('not a folder');
  });

  it('requires --out', async () => {
    const result = await cli(['render']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--out <dir>' not specified");
  });
});

describe('deploy-specs check and generate', () => {
  it('exits 1 with a diff when a generated file is stale, and 0 after generate', async () => {
    const root = mkdtempSync(join(tmpdir(), 'deploy-specs-root-'));
    expect(await cli(['generate', '--root', root])).toMatchObject({ code: 0 });
    expect(await cli(['check', '--root', root])).toMatchObject({ code: 0, stdout: '' });
    const buildspec = join(root, 'buildspec.yaml');
    writeFileSync(
      buildspec,
      readFileSync(buildspec, 'utf8').replace('pnpm run test:release', 'echo skipped'),
    );
    const stale = await cli(['check', '--root', root]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('-      - echo skipped\n+      - pnpm run test:release');
    expect(stale.stderr).toContain('buildspec.yaml');
    expect(generatedFiles().length).toBe(11);
  });
});
