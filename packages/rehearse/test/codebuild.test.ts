// The buildspec runner against CodeBuild's documented behaviour: phase
// names and order, one shell across commands (buildspec 0.2), finally,
// on-failure and the default phase transitions, env precedence, the
// artifact, the declared cache.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Buildspec } from '@webapp-color/deploy-specs';
import { describe, expect, it } from 'vitest';
import {
  cacheRoot,
  globToRegExp,
  runBuildspec,
  type RunBuildspecOptions,
} from '../src/pipeline/codebuild.js';

function workspace() {
  const root = mkdtempSync(join(tmpdir(), 'codebuild-test-'));
  const source = join(root, 'src');
  mkdirSync(source);
  return { root, source, artifact: join(root, 'artifact'), state: join(root, 'state') };
}

async function run(
  buildspec: Buildspec,
  more: Partial<RunBuildspecOptions> = {},
  dirs = workspace(),
) {
  const commands: string[] = [];
  const result = await runBuildspec({
    buildspec,
    sourceDirectory: dirs.source,
    artifactDirectory: dirs.artifact,
    workDirectory: dirs.state,
    imageEnvironment: { PATH: '/usr/bin:/bin' },
    environment: { CODEBUILD_SRC_DIR: dirs.source },
    runtimes: {},
    onCommand: (command) => commands.push(command),
    ...more,
  });
  const log = readFileSync(result.logFile, 'utf8');
  return {
    result,
    commands,
    log,
    dirs,
    phases: result.phases.map((p) => `${p.phaseType} ${p.phaseStatus}`),
  };
}

describe('runBuildspec', () => {
  it('runs the phases in CodeBuild order and uploads the artifact', async () => {
    const { result, phases } = await run({
      version: 0.2,
      phases: {
        post_build: { commands: ['echo post > out/post.txt'] },
        build: { commands: ['echo build > out/build.txt'] },
        install: { commands: ['mkdir -p out'] },
        pre_build: { commands: ['true'] },
      },
      artifacts: { files: ['*.txt'], 'base-directory': 'out' },
    });
    expect(phases).toEqual([
      'INSTALL SUCCEEDED',
      'PRE_BUILD SUCCEEDED',
      'BUILD SUCCEEDED',
      'POST_BUILD SUCCEEDED',
      'UPLOAD_ARTIFACTS SUCCEEDED',
    ]);
    expect(result.buildStatus).toBe('SUCCEEDED');
    expect([...result.artifactFiles].sort()).toEqual(['build.txt', 'post.txt']);
  });

  it('carries exported variables and the directory from command to command and phase to phase', async () => {
    const { result, dirs } = await run({
      version: 0.2,
      env: { 'exported-variables': ['SEEN'] },
      phases: {
        install: { commands: ['export GREETING=hello', 'mkdir -p sub && cd sub'] },
        build: {
          commands: ['export SEEN="$GREETING from $(basename "$PWD")"', 'echo "$SEEN" > seen'],
        },
      },
    });
    expect(result.exportedVariables).toEqual({ SEEN: 'hello from sub' });
    expect(readFileSync(join(dirs.source, 'sub', 'seen'), 'utf8')).toBe('hello from sub\n');
  });

  it("gives the build only the environment it is handed: the image's, replaced by the buildspec's, replaced by the project's", async () => {
    process.env.REHEARSE_TEST_LEAK = 'leaked';
    try {
      const { result } = await run(
        {
          version: 0.2,
          env: {
            variables: { FROM_BUILDSPEC: 'buildspec', BOTH: 'buildspec', IMAGE_SET: 'buildspec' },
            'exported-variables': ['FROM_BUILDSPEC', 'BOTH', 'IMAGE_SET', 'REHEARSE_TEST_LEAK'],
          },
          phases: { build: { commands: ['true'] } },
        },
        {
          imageEnvironment: { PATH: '/usr/bin:/bin', IMAGE_SET: 'image' },
          environment: { BOTH: 'project' },
        },
      );
      expect(result.exportedVariables).toEqual({
        FROM_BUILDSPEC: 'buildspec',
        BOTH: 'project',
        IMAGE_SET: 'buildspec',
        REHEARSE_TEST_LEAK: '',
      });
    } finally {
      delete process.env.REHEARSE_TEST_LEAK;
    }
  });

  it('refuses buildspec variables named CODEBUILD_*, which CodeBuild reserves', async () => {
    await expect(
      run({ version: 0.2, env: { variables: { CODEBUILD_X: '1' } }, phases: {} }),
    ).rejects.toThrow('CODEBUILD_X');
  });

  it('marks the build failing (CODEBUILD_BUILD_SUCCEEDING=0) from the failed command on, finally included', async () => {
    const { dirs } = await run({
      version: 0.2,
      phases: {
        build: {
          'on-failure': 'CONTINUE',
          commands: ['echo "$CODEBUILD_BUILD_SUCCEEDING" > before', 'false'],
          finally: ['echo "$CODEBUILD_BUILD_SUCCEEDING" > in-finally'],
        },
      },
    });
    expect(readFileSync(join(dirs.source, 'before'), 'utf8')).toBe('1\n');
    expect(readFileSync(join(dirs.source, 'in-finally'), 'utf8')).toBe('0\n');
  });

  it('stops: a stopped build runs no further command, retry or finally, and ends STOPPED', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const { result, commands, phases } = await run(
      {
        version: 0.2,
        phases: {
          build: {
            'on-failure': 'RETRY-2',
            commands: ['sleep 5', 'echo never'],
            finally: ['echo no'],
          },
          post_build: { commands: ['echo never either'] },
        },
        artifacts: { files: ['*'] },
      },
      { signal: controller.signal },
    );
    expect(commands).toEqual(['sleep 5']);
    expect(phases).toEqual(['BUILD STOPPED']);
    expect(result.buildStatus).toBe('STOPPED');
    expect(result.phases[0]?.statusCode).toBe('BUILD_STOPPED');
  });

  it('stops a phase at the failing command, runs finally, and with ABORT ends the build without an upload', async () => {
    const { result, commands, phases } = await run({
      version: 0.2,
      phases: {
        pre_build: {
          'on-failure': 'ABORT',
          commands: ['true', 'exit 3', 'echo never'],
          finally: ['echo cleanup'],
        },
        build: { commands: ['echo never either'] },
      },
      artifacts: { files: ['**/*'] },
    });
    expect(commands).toEqual(['true', 'exit 3', 'echo cleanup']);
    expect(phases).toEqual(['PRE_BUILD FAILED']);
    expect(result.phases[0]?.failedCommand).toBe('exit 3');
    expect(result.phases[0]?.context).toBe(
      'Error while executing command: exit 3. Reason: exit status 3',
    );
    expect(result.buildStatus).toBe('FAILED');
    expect(result.artifactFiles).toEqual([]);
  });

  it('with CONTINUE goes on to the next phase, and the build still fails', async () => {
    const { result, phases } = await run({
      version: 0.2,
      phases: {
        install: { 'on-failure': 'CONTINUE', commands: ['false'] },
        build: { commands: ['touch made'] },
      },
      artifacts: { files: ['made'] },
    });
    expect(phases).toEqual(['INSTALL FAILED', 'BUILD SUCCEEDED', 'UPLOAD_ARTIFACTS SUCCEEDED']);
    expect(result.buildStatus).toBe('FAILED');
  });

  it('without on-failure: a failed BUILD still runs POST_BUILD (CODEBUILD_BUILD_SUCCEEDING=0) and attempts the upload', async () => {
    const { phases, dirs } = await run({
      version: 0.2,
      phases: {
        build: { commands: ['false'] },
        post_build: { commands: ['echo "$CODEBUILD_BUILD_SUCCEEDING" > succeeding'] },
      },
      artifacts: { files: ['succeeding'] },
    });
    expect(phases).toEqual(['BUILD FAILED', 'POST_BUILD SUCCEEDED', 'UPLOAD_ARTIFACTS SUCCEEDED']);
    expect(readFileSync(join(dirs.source, 'succeeding'), 'utf8')).toBe('0\n');
  });

  it('without on-failure: a failed PRE_BUILD goes straight to the end', async () => {
    const { phases } = await run({
      version: 0.2,
      phases: { pre_build: { commands: ['false'] }, build: { commands: ['true'] } },
      artifacts: { files: ['*'] },
    });
    expect(phases).toEqual(['PRE_BUILD FAILED']);
  });

  it('retries a phase with RETRY-<count>', async () => {
    const { commands, phases } = await run({
      version: 0.2,
      phases: {
        build: {
          'on-failure': 'RETRY-2',
          commands: ['n=$(cat tries 2>/dev/null || echo 0); echo $((n+1)) > tries; [ "$n" -ge 2 ]'],
        },
      },
    });
    expect(commands).toHaveLength(3);
    expect(phases).toEqual(['BUILD SUCCEEDED']);
  });

  it('keeps paths without discard-paths, flattens them with it, and reports no match as CLIENT_ERROR', async () => {
    const kept = await run({
      version: 0.2,
      phases: { build: { commands: ['mkdir -p out/a && touch out/a/one.json out/two.json'] } },
      artifacts: { files: ['**/*.json'], 'base-directory': 'out' },
    });
    expect([...kept.result.artifactFiles].sort()).toEqual(['a/one.json', 'two.json']);
    const flat = await run({
      version: 0.2,
      phases: { build: { commands: ['mkdir -p out/a && touch out/a/one.json'] } },
      artifacts: { files: ['**/*'], 'base-directory': 'out', 'discard-paths': 'yes' },
    });
    expect(flat.result.artifactFiles).toEqual(['one.json']);
    const none = await run({
      version: 0.2,
      phases: { build: { commands: ['true'] } },
      artifacts: { files: ['missing.json'] },
    });
    expect(none.phases).toEqual(['BUILD SUCCEEDED', 'UPLOAD_ARTIFACTS FAILED']);
    expect(none.result.phases[1]?.statusCode).toBe('CLIENT_ERROR');
    expect(none.result.buildStatus).toBe('FAILED');
    const partly = await run({
      version: 0.2,
      phases: { build: { commands: ['touch one.json'] } },
      artifacts: { files: ['one.json', 'two.json'] },
    });
    expect(partly.result.artifactFiles).toEqual(['one.json']);
    expect(partly.log).toContain('Skipping invalid file path two.json');
  });

  it('restores the declared cache before the first phase and keeps what the build wrote, whatever its outcome', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'codebuild-cache-'));
    const options = {
      cache: { directory: cache, mapPath: (path: string) => join(dirs.source, path) },
    };
    const dirs = workspace();
    const buildspec: Buildspec = {
      version: 0.2,
      phases: {
        build: {
          commands: [
            'n=$(cat .store/count 2>/dev/null || echo 0); mkdir -p .store; echo $((n+1)) > .store/count',
          ],
        },
      },
      cache: { paths: ['.store/**/*'] },
    };
    await run(buildspec, options, dirs);
    // A failed build keeps the cache too (local caching links the folders in).
    const failing = workspace();
    await run(
      {
        ...buildspec,
        phases: { build: { commands: [...buildspec.phases!.build!.commands!, 'false'] } },
      },
      { cache: { directory: cache, mapPath: (path) => join(failing.source, path) } },
      failing,
    );
    const second = workspace();
    await run(
      buildspec,
      { cache: { directory: cache, mapPath: (path) => join(second.source, path) } },
      second,
    );
    // Each build started from the one before's cache, and saved its own.
    expect(readFileSync(join(cache, '.store', 'count'), 'utf8')).toBe('3\n');
  });

  it('refuses a runtime it cannot install, naming it', async () => {
    const { phases, result } = await run({
      version: 0.2,
      phases: { install: { 'runtime-versions': { python: '3.12' }, commands: ['true'] } },
    });
    expect(phases).toEqual(['INSTALL FAILED']);
    expect(result.phases[0]?.context).toContain('runtime-versions.python');
  });

  it('puts the installed runtime first on PATH', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'codebuild-runtime-'));
    writeFileSync(join(bin, 'node'), '#!/bin/sh\necho v24.0.0\n', { mode: 0o755 });
    const { result } = await run(
      {
        version: 0.2,
        env: { 'exported-variables': ['NODE_SAYS'] },
        phases: {
          install: { 'runtime-versions': { nodejs: 24 }, commands: ['export NODE_SAYS=$(node)'] },
        },
      },
      { runtimes: { nodejs: (version) => Promise.resolve(version === '24' ? bin : '/nowhere') } },
    );
    expect(result.exportedVariables.NODE_SAYS).toBe('v24.0.0');
  });
});

describe('paths', () => {
  it('matches artifact globs as CodeBuild does', () => {
    expect(globToRegExp('**/*').test('a/b/c.json')).toBe(true);
    expect(globToRegExp('*.json').test('a/c.json')).toBe(false);
    expect(globToRegExp('imageDetail.json').test('imageDetail.json')).toBe(true);
  });

  it('caches the folder before the first wildcard', () => {
    expect(cacheRoot('/root/.local/share/pnpm/store/**/*')).toBe('/root/.local/share/pnpm/store');
    expect(cacheRoot('.turbo/cache/**/*')).toBe('.turbo/cache');
  });
});
