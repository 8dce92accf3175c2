import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFiles } from '../src/check/check-files.js';
import { kindFromFileName, kindFromFolders } from '../src/check/kind.js';
import { run } from '../src/command/program.js';

const CORPUS = join(import.meta.dirname, 'corpus');
const RULES = join(import.meta.dirname, 'rules');

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

describe('ecs-release-lint validate', () => {
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
    const result = await cli(
      ['validate', 'bad-fargate-memory/taskdef.json'],
      {},
      join(RULES, 'TASKDEF_FARGATE_CPU_MEMORY'),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      'bad-fargate-memory/taskdef.json:6:13 error TASKDEF_FARGATE_CPU_MEMORY Fargate has no task with cpu "512" and memory "512"; with cpu 512 use memory 1024, 2048, 3072, 4096\n',
    );
  });

  it('prints JSON with --format json', async () => {
    const result = await cli(
      ['validate', '--format', 'json', 'bad-hook-typo/appspec.yaml'],
      {},
      join(RULES, 'APPSPEC_HOOK_NAME'),
    );
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
    const dir = mkdtempSync(join(tmpdir(), 'ecs-release-lint-'));
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
    const dir = mkdtempSync(join(tmpdir(), 'ecs-release-lint-'));
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
    const dir = mkdtempSync(join(tmpdir(), 'ecs-release-lint-'));
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
      "option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json, sarif, github.",
    );
  });

  it('exits 2 for an unreadable file, without a stack trace', async () => {
    const result = await cli(['validate', 'missing/taskdef.json']);
    expect(result).toMatchObject({
      code: 2,
      stderr: 'ecs-release-lint: cannot read missing/taskdef.json: no such file\n',
    });
  });

  it('has --help for each command', async () => {
    for (const command of ['validate', 'rules']) {
      const result = await cli([command, '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: ecs-release-lint ${command}`);
    }
  });
});

describe('ecs-release-lint rules', () => {
  it('ends quietly when the reader closes the pipe (ecs-release-lint rules | head)', async () => {
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
