import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Log } from 'sarif';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installTarball, npmEnvironment, PACKAGE_ROOT, packTarball } from './support/pack.js';
import { LoopbackRegistry } from './support/registry.js';

// One release of each kind, clean: the AppSpec and taskdef agree on the container and port,
// and imagedefinitions.json names the taskdef's container.
const CLEAN: Record<string, string> = {
  'taskdef.json': `${JSON.stringify(
    {
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: 'web',
          image: '<IMAGE1_NAME>',
          essential: true,
          portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        },
      ],
    },
    null,
    2,
  )}\n`,
  'appspec.yaml': [
    'version: 0.0',
    'Resources:',
    '  - TargetService:',
    '      Type: AWS::ECS::Service',
    '      Properties:',
    '        TaskDefinition: <TASK_DEFINITION>',
    '        LoadBalancerInfo:',
    '          ContainerName: web',
    '          ContainerPort: 8080',
    '',
  ].join('\n'),
  'buildspec.yml': [
    'version: 0.2',
    'phases:',
    '  build:',
    '    commands:',
    '      - docker build -t "$IMAGE_URI" .',
    '      - docker push "$IMAGE_URI"',
    `      - printf '{"ImageURI":"%s"}' "$IMAGE_URI" > imageDetail.json`,
    'artifacts:',
    '  files:',
    '    - imageDetail.json',
    '    - taskdef.json',
    '    - appspec.yaml',
    '',
  ].join('\n'),
  'imagedefinitions.json': `${JSON.stringify([
    { name: 'web', imageUri: '111122223333.dkr.ecr.us-east-1.amazonaws.com/web:1.0.0' },
  ])}\n`,
};

let tarball: string | undefined;
let folder: string;
let registry: LoopbackRegistry | undefined;

function lint(args: readonly string[]) {
  const result = spawnSync('npx', ['--no', '--', 'ecs-release-lint', ...args], {
    cwd: folder,
    encoding: 'utf8',
    env: npmEnvironment(),
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the packed package, installed with npm in an empty folder', () => {
  beforeAll(async () => {
    tarball = packTarball();
    const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    registry = await LoopbackRegistry.start(PACKAGE_ROOT, Object.keys(manifest.dependencies));
    folder = await installTarball(tarball, registry.url);
    for (const [name, text] of Object.entries(CLEAN)) writeFileSync(join(folder, name), text);
    // The same release with Fargate's cpu 256 given 8 GiB, which no Fargate task has.
    writeFileSync(
      join(folder, 'broken-taskdef.json'),
      CLEAN['taskdef.json']!.replace('"memory": "512"', '"memory": "8192"'),
    );
  }, 300_000);

  afterAll(async () => {
    await registry?.close();
    for (const path of [tarball && dirname(tarball), folder])
      if (path) rmSync(path, { recursive: true, force: true });
  });

  it('exits 0 on a clean taskdef, AppSpec, buildspec and imagedefinitions.json', () => {
    const result = lint(['validate', ...Object.keys(CLEAN)]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toBe('4 file(s): 0 error(s), 0 warning(s)\n');
  });

  it('exits 1 with the finding when a file has an error', () => {
    const result = lint(['validate', 'broken-taskdef.json', 'appspec.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^broken-taskdef\.json:\d+:\d+ error TASKDEF_FARGATE_CPU_MEMORY Fargate has no task with cpu "256" and memory "8192"/,
    );
  });

  it('exits 2 on bad usage: an unknown format, a missing file, no file', () => {
    const format = lint(['validate', '--format', 'xml', 'taskdef.json']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("option '--format <format>' argument 'xml' is invalid");
    expect(lint(['validate', 'missing.json'])).toMatchObject({
      code: 2,
      stderr: 'ecs-release-lint: cannot read missing.json: no such file\n',
    });
    expect(lint(['validate']).code).toBe(2);
  });

  it('prints SARIF that names the rule of each result', () => {
    const result = lint(['validate', '--format', 'sarif', 'broken-taskdef.json']);
    expect(result.code).toBe(1);
    const log = JSON.parse(result.stdout) as Log;
    const run = log.runs[0]!;
    const rule = run.tool.driver.rules![run.results![0]!.ruleIndex!]!;
    expect(rule.id).toBe('TASKDEF_FARGATE_CPU_MEMORY');
  });

  it('lists its rules and says its version', () => {
    expect(lint(['rules']).stdout).toMatch(/^TASKDEF_FARGATE_CPU_MEMORY {2}/m);
    expect(lint(['--version'])).toMatchObject({ code: 0, stdout: '1.0.0\n' });
  });
});
