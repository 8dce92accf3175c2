import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFiles } from '../src/check-files.js';
import { kindFromFileName, run } from '../src/command/program.js';
import { kindFromFolders } from '../src/kind.js';
import { generatedFiles } from '../src/generated.js';
import { REPOSITORY_ROOT } from '../src/private/paths.js';
import { RELEASE_ENVIRONMENT } from './fixtures/release-environment.js';

const CORPUS = join(import.meta.dirname, 'corpus');

async function cli(argv: string[], env: Record<string, string> = {}, cwd = CORPUS) {
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

describe('deploy-specs validate', () => {
  it('tells the kind from the file name', () => {
    expect(kindFromFileName('deploy/appspec.yml')).toBe('appspec');
    expect(kindFromFileName('appspec.json')).toBe('appspec');
    expect(kindFromFileName('buildspec-release.yaml')).toBe('buildspec');
    expect(kindFromFileName('taskdef.prod.json')).toBe('taskdef');
    expect(kindFromFileName('taskdef.yaml')).toBeUndefined();
  });

  it('exits 0 for valid files', async () => {
    const result = await cli([
      'validate',
      'valid/fargate-httpd/taskdef.json',
      'valid/ecs-json/appspec.json',
    ]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
  });

  it('prints FILE:LINE:COL SEVERITY RULE-ID message and exits 1', async () => {
    const result = await cli(['validate', 'broken/fargate-memory/taskdef.json']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      'broken/fargate-memory/taskdef.json:6:13 error TASKDEF_FARGATE_CPU_MEMORY Fargate has no task with cpu "512" and memory "512"; with cpu 512 use memory 1024, 2048, 3072, 4096\n',
    );
  });

  it('prints JSON with --format json', async () => {
    const result = await cli(['validate', '--format', 'json', 'broken/hook-typo/appspec.yaml']);
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as {
      valid: boolean;
      errors: { ruleId: string; line: number }[];
    };
    expect(output.valid).toBe(false);
    expect(output.errors.map((error) => [error.ruleId, error.line])).toEqual([
      ['APPSPEC_HOOK_NAME', 12],
    ]);
  });

  it('tells the kind from the content when the name says nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-specs-'));
    writeFileSync(
      join(dir, 'deploy.yml'),
      'version: 0.2\nphases:\n  build:\n    commands: [make]\n',
    );
    writeFileSync(join(dir, 'service.json'), '{"family": "web", "containerDefinitions": []}');
    const result = await cli(['validate', 'deploy.yml', 'service.json'], {}, dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^service\.json:1:\d+ error TASKDEF_ESSENTIAL_CONTAINER /);
  });

  it('takes --kind for files neither name nor content tell apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-specs-'));
    writeFileSync(join(dir, 'deploy.yml'), 'version: 0.2\n');
    const told = await cli(['validate', 'deploy.yml'], {}, dir);
    expect(told.code).toBe(2);
    expect(told.stderr).toContain('pass --kind appspec|buildspec|taskdef');
    expect(await cli(['validate', '--kind', 'buildspec', 'deploy.yml'], {}, dir)).toMatchObject({
      code: 1,
      stdout:
        'deploy.yml:1:1 error BUILDSPEC_PHASES_OR_BATCH the buildspec needs phases (install, pre_build, build, post_build) or a batch; add at least phases.build\n',
    });
  });

  it('tells imagedefinitions.json by its name, an array of imageUri entries, or --kind', async () => {
    expect(kindFromFileName('build/imagedefinitions.json')).toBe('imagedefinitions');
    expect(kindFromFileName('staging-imageDefinitions.json')).toBe('imagedefinitions');
    expect(kindFromFileName('image_definitions.json')).toBe('imagedefinitions');
    expect(kindFromFileName('imagedefinitions.yaml')).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), 'deploy-specs-'));
    writeFileSync(join(dir, 'images.json'), '[{"name":"web","imageUri":"nginx:1.27"}]\n');
    writeFileSync(join(dir, 'deploy.json'), '[]\n');
    expect(await cli(['validate', '--format', 'json', 'images.json'], {}, dir)).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('IMAGEDEFINITIONS_IMAGE_URI') as unknown,
    });
    // An empty array has no entry to tell the kind by; --kind still checks it.
    expect((await cli(['validate', 'deploy.json'], {}, dir)).code).toBe(2);
    const told = await cli(['validate', '--kind', 'imagedefinitions', 'deploy.json'], {}, dir);
    expect(told.code).toBe(1);
    expect(told.stdout).toContain('deploy.json:1:1 error SCHEMA_INVALID_VALUE');
  });

  it('tells the kind of a broken file from what the parser read', () => {
    const { files, findings } = checkFiles([
      { file: 'ci.yml', text: 'version: 0.2\nphases:\n\tbuild:\n\t\tcommands: [make]\n' },
      { file: 'web.json', text: '{"family": "web", "containerDefinitions": [],}' },
    ]);
    expect(files.map((file) => file.kind)).toEqual(['buildspec', 'taskdef']);
    expect(findings.map((finding) => `${finding.file} ${finding.ruleId}`)).toEqual([
      'ci.yml PARSE_TAB_INDENTATION',
      'ci.yml PARSE_TAB_INDENTATION',
      'web.json PARSE_SYNTAX',
    ]);
  });

  it('tells the kind from the folders when name and content do not', () => {
    expect(kindFromFolders('infra/codebuild/release/deploy.yml')).toBe('buildspec');
    expect(kindFromFolders('ecs/task_definitions/api.json')).toBe('taskdef');
    expect(kindFromFolders('task-definitions/api.json')).toBe('taskdef');
    expect(kindFromFolders('taskdef/api.json')).toBe('taskdef');
    expect(kindFromFolders('task_definitions/api.yaml')).toBeUndefined();
    expect(kindFromFolders('config/api.json')).toBeUndefined();
    const { files, findings } = checkFiles([
      { file: 'codebuild/nightly/x.yml', text: 'version: 0.2\n' },
      { file: 'task-definitions/list.json', text: '[]' },
    ]);
    expect(files.map((file) => file.kind)).toEqual(['buildspec', 'taskdef']);
    expect(findings.map((finding) => finding.ruleId)).toEqual([
      'BUILDSPEC_PHASES_OR_BATCH',
      'SCHEMA_INVALID_TYPE',
    ]);
  });

  it('fails when a file named appspec.json is plainly something else', () => {
    const manifest = '{"settings": [], "dependencies": {"R": []}, "license": {"id": "MIT"}}';
    expect(() => checkFiles([{ file: 'appspec.json', text: manifest }])).toThrow(
      /cannot tell the kind of appspec\.json: it is named like an AppSpec but is not a CodeDeploy AppSpec \(it has none of version, Resources, Hooks, and has settings, dependencies, license/,
    );
    expect(
      checkFiles([{ file: 'appspec.json', text: manifest }], { kind: 'appspec' }).findings,
    ).not.toEqual([]);
    expect(checkFiles([{ file: 'appspec.json', text: '{"resources": []}' }]).files).toEqual([
      { file: 'appspec.json', kind: 'appspec' },
    ]);
  });

  it('checks an appspec and a taskdef together, with the Dockerfile', async () => {
    const result = await cli([
      'validate',
      'release-mismatch/appspec.yaml',
      'release-mismatch/taskdef.json',
      '--dockerfile',
      'release-mismatch/Dockerfile',
    ]);
    expect(result.code).toBe(1);
    expect(
      result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ')[2]),
    ).toEqual(['RELEASE_CONTAINER_PORT', 'RELEASE_DOCKERFILE_EXPOSE']);
  });

  it('exits 2 naming the flag and the allowed values', async () => {
    const result = await cli(['validate', '--format', 'xml', 'a.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json.",
    );
  });

  it('exits 2 for an unreadable file, without a stack trace', async () => {
    const result = await cli(['validate', 'missing/taskdef.json']);
    expect(result).toMatchObject({
      code: 2,
      stderr: 'deploy-specs: cannot read missing/taskdef.json: no such file\n',
    });
  });

  it('has --help for each command', async () => {
    for (const command of ['validate', 'render', 'check', 'generate']) {
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
    expect(generatedFiles().length).toBe(9);
  });
});

describe('deploy-specs rules', () => {
  it('ends quietly when the reader closes the pipe (deploy-specs rules | head)', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '..', 'src', 'cli.ts'), 'rules'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.destroy(); // every write now fails with EPIPE
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
