// Source and Build on a small repository of the test's own: the build runs
// the committed buildspec in CodeBuild's environment, and a failing command
// ends the build in its phase, naming it, before any image exists.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../src/engine.js';
import {
  codeBuildEnvironment,
  HOST_NETWORK_VARIABLES,
  runPushStages,
} from '../src/pipeline/push.js';
import type { LocalRegistry } from '../src/pipeline/registry.js';
import { git } from './support/git.js';

const engine: ContainerEngine = {
  name: 'podman',
  version: 'unused',
  globalFlags: [],
  buildFlags: [],
  runFlags: [],
  localBaseImage: true,
};
const registry: LocalRegistry = {
  address: '127.0.0.1:9',
  standsInFor: '000000000000.dkr.ecr.us-east-1.amazonaws.com',
  manifestRequests: () => [],
  close: () => Promise.resolve(),
};

function repositoryWith(buildspec: string): string {
  const root = mkdtempSync(join(tmpdir(), 'push-test-'));
  writeFileSync(join(root, 'buildspec.yaml'), buildspec);
  git(root, 'init', '--quiet');
  git(root, 'add', '.');
  git(root, 'commit', '--quiet', '-m', 'buildspec');
  return root;
}

function stages(repoRoot: string) {
  const lines: string[] = [];
  const cache = mkdtempSync(join(tmpdir(), 'push-cache-'));
  return runPushStages({
    repoRoot,
    definition: webappColor,
    engine,
    registry,
    region: 'us-east-1',
    projectVariables: { IMAGE_REPOSITORY_URI: `${registry.standsInFor}/webapp-color` },
    workDirectory: join(cache, 'work'),
    cacheDirectory: cache,
    progress: (line) => lines.push(line),
  }).then((result) => ({ ...result, lines }));
}

describe('Source and Build', () => {
  it("runs the buildspec in CodeBuild's variables, in the exported source, without .git", async () => {
    const root = repositoryWith(
      [
        'version: 0.2',
        'phases:',
        '  build:',
        '    commands:',
        '      - mkdir -p out',
        '      - env | sort > out/env.txt',
        '      - aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "${IMAGE_REPOSITORY_URI%%/*}" > out/login.txt',
        '      - if [ -e .git ]; then echo has-git; else echo no-git; fi > out/git.txt',
        'artifacts:',
        '  files: ["*.txt"]',
        '  base-directory: out',
        '',
      ].join('\n'),
    );
    const result = await stages(root);
    expect(result.build.buildStatus).toBe('SUCCEEDED');
    const read = (name: string) => readFileSync(join(result.artifactDirectory, name), 'utf8');
    expect(read('git.txt')).toBe('no-git\n');
    // The stand-ins answer the ECR login the release buildspec runs.
    expect(read('login.txt')).toBe('Login Succeeded\n');
    const env = read('env.txt');
    const commit = result.source.commitId;
    expect(env).toContain(`CODEBUILD_RESOLVED_SOURCE_VERSION=${commit}\n`);
    expect(env).toContain(`SOURCE_COMMIT_ID=${commit}\n`);
    expect(env).toMatch(/^CODEBUILD_BUILD_ID=webapp-color-release:[0-9a-f-]{36}$/m);
    expect(env).toMatch(/^CODEBUILD_SRC_DIR=.*\/codebuild\/src$/m);
    expect(env).toContain(
      'IMAGE_REPOSITORY_URI=000000000000.dkr.ecr.us-east-1.amazonaws.com/webapp-color\n',
    );
    expect(env).not.toMatch(/^(VITEST|npm_lifecycle_event|TURBO_HASH)=/m);
    expect(result.events.map((event) => `${event.name} ${event.result}`)).toEqual([
      'Source Succeeded',
      'BUILD SUCCEEDED',
      'UPLOAD_ARTIFACTS SUCCEEDED',
    ]);
    // The build's source and HOME go with it; its log stays.
    expect(existsSync(result.source.directory)).toBe(false);
    expect(existsSync(result.build.logFile)).toBe(true);
  });

  it('ends a failed build in its phase, naming the command, with nothing uploaded', async () => {
    const root = repositoryWith(
      [
        'version: 0.2',
        'phases:',
        '  pre_build:',
        '    on-failure: ABORT',
        '    commands:',
        '      - echo testing',
        '      - exit 7',
        '  build:',
        '    commands:',
        '      - docker buildx build --tag x --push .',
        'artifacts:',
        '  files: ["*"]',
        '',
      ].join('\n'),
    );
    const result = await stages(root);
    expect(result.build.buildStatus).toBe('FAILED');
    expect(result.events.map((event) => `${event.name} ${event.result}`)).toEqual([
      'Source Succeeded',
      'PRE_BUILD FAILED',
    ]);
    expect(result.build.phases[0]).toMatchObject({ failedCommand: 'exit 7' });
    expect(result.build.artifactFiles).toEqual([]);
  });

  it('refuses a buildspec that does not validate, with its finding', async () => {
    const root = repositoryWith('version: 0.2\nphases:\n  compile:\n    commands: [make]\n');
    await expect(stages(root)).rejects.toThrow(/buildspec\.yaml does not validate/);
  });
});

describe("CodeBuild's environment", () => {
  it("gets the host's network settings through turbo too (its strict env mode drops the rest)", () => {
    const turbo = JSON.parse(readFileSync(new URL('../turbo.json', import.meta.url), 'utf8')) as {
      tasks: { test: { passThroughEnv?: string[] } };
    };
    expect(turbo.tasks.test.passThroughEnv).toEqual(
      expect.arrayContaining([...HOST_NETWORK_VARIABLES]),
    );
  });

  it('sets the variables CodeBuild documents and passes nothing else of the host but its network settings', () => {
    const env = codeBuildEnvironment({
      definition: webappColor,
      region: 'eu-west-1',
      commitId: 'abc1234',
      sourceDirectory: '/src',
      home: '/home',
      toolsDirectory: '/tools',
      projectVariables: { TASK_FAMILY: 'webapp-color' },
      host: { NODE_EXTRA_CA_CERTS: '/ca.crt', SECRET: 'host only', PATH: '/host/bin' },
    });
    expect(env.build).toMatchObject({
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      CODEBUILD_RESOLVED_SOURCE_VERSION: 'abc1234',
      SOURCE_COMMIT_ID: 'abc1234',
      CODEBUILD_SRC_DIR: '/src',
      CODEBUILD_BUILD_IMAGE: webappColor.build.codeBuildImage,
      TASK_FAMILY: 'webapp-color',
    });
    expect(env.build.CODEBUILD_SOURCE_VERSION).toMatch(/^arn:aws:s3:::/);
    expect(env.image).toMatchObject({ NODE_EXTRA_CA_CERTS: '/ca.crt', HOME: '/home' });
    expect(env.image.PATH?.startsWith('/tools:')).toBe(true);
    expect(env.image.PATH).not.toContain('/host/bin');
    expect({ ...env.image, ...env.build }).not.toHaveProperty('SECRET');
  });
});
