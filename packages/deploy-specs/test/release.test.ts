import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { webappColor } from '../src/definition/index.js';
import { releaseBuildspec } from '../src/recipe/release-buildspec.js';
import { releaseAppSpec, releaseTaskDefinition } from '../src/release/documents.js';
import { renderRelease } from '../src/release/render.js';
import { PROMOTED_RELEASES_VARIABLE } from '../src/release/promotion.js';
import {
  EXAMPLE_RELEASE_VALUES,
  readReleaseValues,
  ReleaseEnvironmentError,
  DEPLOYMENT_CONTROLLER_VARIABLE,
  IMAGE_DIGEST_VARIABLE,
} from '../src/release/values.js';
import { exposedPorts } from 'ecs-release-lint/dockerfile';
import { RELEASE_ENVIRONMENT } from './fixtures/release-environment.js';

const ENV = RELEASE_ENVIRONMENT;

describe('release values', () => {
  it('reads the variables named by the definition', () => {
    expect(readReleaseValues(webappColor, ENV)).toEqual({
      imageRepositoryUri: ENV.IMAGE_REPOSITORY_URI,
      taskFamily: 'webapp-color',
      executionRoleArn: ENV.TASK_EXECUTION_ROLE_ARN,
      taskRoleArn: ENV.TASK_ROLE_ARN,
      logGroupName: '/ecs/webapp-color',
      afterAllowTestTrafficHook: 'smoke',
      afterAllowTrafficHook: 'production-check',
      region: 'eu-west-1',
      commitId: 'a'.repeat(40),
    });
  });

  it('names every missing variable in one error', () => {
    const partial: Record<string, string> = { ...ENV };
    delete partial.TASK_FAMILY;
    delete partial.AWS_REGION;
    expect(() => readReleaseValues(webappColor, { ...partial, LOG_GROUP_NAME: ' ' })).toThrow(
      new ReleaseEnvironmentError(['TASK_FAMILY', 'LOG_GROUP_NAME', 'AWS_REGION'], []),
    );
    expect(() => readReleaseValues(webappColor, {})).toThrow(
      'missing environment variables: IMAGE_REPOSITORY_URI, TASK_FAMILY, TASK_EXECUTION_ROLE_ARN, TASK_ROLE_ARN, LOG_GROUP_NAME, SMOKE_TEST_FUNCTION_NAME, PRODUCTION_CHECK_FUNCTION_NAME, AWS_REGION, SOURCE_COMMIT_ID (or CODEBUILD_RESOLVED_SOURCE_VERSION)',
    );
  });

  it("takes the commit id from the pipeline's variable before CodeBuild's resolved source version", () => {
    // For CodePipeline builds CodeBuild's resolved version "may not always be available".
    const fromPipeline = readReleaseValues(webappColor, {
      ...ENV,
      CODEBUILD_RESOLVED_SOURCE_VERSION: 'arn:aws:s3:::bucket/SourceArti/abc.zip',
      SOURCE_COMMIT_ID: 'b'.repeat(40),
    });
    expect(fromPipeline.commitId).toBe('b'.repeat(40));
    expect(readReleaseValues(webappColor, { ...ENV, SOURCE_COMMIT_ID: ' ' }).commitId).toBe(
      'a'.repeat(40),
    );
    expect(() =>
      readReleaseValues(webappColor, { ...ENV, CODEBUILD_RESOLVED_SOURCE_VERSION: 'v1.2.3' }),
    ).toThrow('CODEBUILD_RESOLVED_SOURCE_VERSION="v1.2.3" is not a git commit id');
  });

  it('rejects values that cannot be right', () => {
    expect(() => readReleaseValues(webappColor, { ...ENV, TASK_ROLE_ARN: 'task-role' })).toThrow(
      'TASK_ROLE_ARN="task-role" is not an IAM role ARN',
    );
  });
});

describe('release documents', () => {
  it('takes container, task and log settings from the definition', () => {
    const taskdef = releaseTaskDefinition(webappColor, EXAMPLE_RELEASE_VALUES);
    const [container] = taskdef.containerDefinitions;
    expect(container).toMatchObject({
      name: webappColor.container.name,
      image: '<IMAGE1_NAME>',
      portMappings: [{ containerPort: webappColor.container.port, protocol: 'tcp' }],
      user: webappColor.container.user,
      readonlyRootFilesystem: true,
      linuxParameters: { initProcessEnabled: true },
      stopTimeout: webappColor.container.stopTimeoutSeconds,
    });
    expect(container?.environment?.at(-1)).toEqual({
      name: 'APP_VERSION',
      value: EXAMPLE_RELEASE_VALUES.commitId,
    });
    expect(container?.healthCheck?.command.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(container?.healthCheck?.command[3]).toContain(
      `:${webappColor.container.port}${webappColor.container.healthCheckPath}`,
    );
    expect(taskdef).toMatchObject({
      cpu: webappColor.task.cpu,
      memory: webappColor.task.memory,
      family: 'webapp-color',
    });
  });

  it('renders the AppSpec of a release', () => {
    expect(releaseAppSpec(webappColor, EXAMPLE_RELEASE_VALUES)).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: '<TASK_DEFINITION>',
              LoadBalancerInfo: { ContainerName: 'webapp-color', ContainerPort: 8080 },
              PlatformVersion: 'LATEST',
            },
          },
        },
      ],
      Hooks: [
        { AfterAllowTestTraffic: 'webapp-color-smoke-test' },
        { AfterAllowTraffic: 'webapp-color-production-check' },
      ],
    });
  });

  it('warns when the Dockerfile does not expose the container port', () => {
    const rendered = renderRelease(webappColor, EXAMPLE_RELEASE_VALUES, {
      dockerfile: { file: 'Dockerfile', text: 'FROM node:22-slim\nEXPOSE 3000\n' },
    });
    expect(rendered.errors).toEqual([]);
    expect(rendered.warnings.map((warning) => warning.ruleId)).toEqual([
      'RELEASE_DOCKERFILE_EXPOSE',
    ]);
  });

  it('reads EXPOSE of the final stage with ARG defaults', () => {
    expect(
      exposedPorts('FROM a AS b\nEXPOSE 1\nFROM c\nARG PORT=8080\nEXPOSE ${PORT}/tcp 9000/udp\n'),
    ).toEqual([
      { port: 8080, protocol: 'tcp', line: 5, column: 1 },
      { port: 9000, protocol: 'udp', line: 5, column: 1 },
    ]);
  });
});

describe('the release build recipe', () => {
  const recipe = releaseBuildspec(webappColor);
  const commands = Object.values(recipe.phases!).flatMap((phase) => phase?.commands ?? []);
  const indexOf = (pattern: RegExp) => commands.findIndex((command) => pattern.test(command));

  it('runs the steps in order', () => {
    const steps = [
      /^npm install --global pnpm@12\.4\.2$/,
      /^pnpm install --frozen-lockfile --store-dir \.pnpm-store$/,
      /^pnpm run test:release$/,
      /docker login/,
      /docker buildx build --file apps\/webapp-color\/Dockerfile --platform linux\/amd64 --build-arg APP_VERSION="\$COMMIT_ID" --cache-from/,
      /cli\.js render --out release$/,
    ].map(indexOf);
    expect(steps.every((step) => step >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  it("declares its cache: pnpm's store and Turborepo's cache", () => {
    expect(recipe.cache?.paths).toEqual(['.pnpm-store/**/*', '.turbo/cache/**/*']);
    expect(commands).toContain('pnpm install --frozen-lockfile --store-dir .pnpm-store');
  });

  it('selects the runtime and shell from the definition', () => {
    expect(recipe.env?.shell).toBe('bash');
    expect(recipe.phases!.install?.['runtime-versions']).toEqual({
      nodejs: webappColor.build.nodejsRuntime,
    });
  });

  it('caches layers under the one mutable tag and pushes the commit tag', () => {
    const build = commands[indexOf(/docker buildx build/)]!;
    expect(build).toContain(`ref=$IMAGE_REPOSITORY_URI:${webappColor.build.cacheImageTag}`);
    expect(build).toContain('--tag "$IMAGE_URI" --push');
    expect(commands).toContain('export IMAGE_URI="$IMAGE_REPOSITORY_URI:$COMMIT_ID"');
  });

  it("ships the first environment's files at the artifact root, each promoted one in its folder", () => {
    const files = [
      'imageDetail.json',
      'taskdef.json',
      'appspec.yaml',
      'imagedefinitions.json',
      'ship.mjs',
    ];
    expect(recipe.artifacts).toEqual({
      files: files.flatMap((file) => [file, `*/${file}`]),
      'base-directory': 'release',
      'discard-paths': 'no',
    });
  });

  it('reads only release variables the definition names or CodeBuild provides', () => {
    const used = new Set(
      [...commands.join('\n').matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]),
    );
    const known = new Set([
      ...Object.values(webappColor.releaseEnvironment),
      'AWS_REGION',
      webappColor.build.sourceCommitVariable,
      'CODEBUILD_RESOLVED_SOURCE_VERSION',
      'COMMIT_ID',
      'IMAGE_URI',
      DEPLOYMENT_CONTROLLER_VARIABLE,
      IMAGE_DIGEST_VARIABLE,
      PROMOTED_RELEASES_VARIABLE,
    ]);
    expect([...used].filter((name) => !known.has(name!))).toEqual([]);
  });

  it('builds the image for the CPU architecture the task definition declares', () => {
    const build = commands[indexOf(/docker buildx build/)]!;
    expect(build).toContain('--platform linux/amd64');
    const arm = releaseBuildspec({
      ...webappColor,
      task: { ...webappColor.task, cpuArchitecture: 'ARM64' },
    });
    expect(JSON.stringify(arm.phases!.build?.commands)).toContain('--platform linux/arm64');
  });

  describe('the commit id, as bash computes it before anything is pushed', () => {
    const lines = recipe.phases!.pre_build!.commands!.filter((command) =>
      /COMMIT_ID/.test(command),
    );
    const resolve = (env: Readonly<Record<string, string | undefined>>) =>
      spawnSync('bash', ['-c', `${lines.join('\n')}\necho "$COMMIT_ID"`], {
        env: { ...env, PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      });

    it("prefers the pipeline's CommitId variable", () => {
      const result = resolve({
        SOURCE_COMMIT_ID: 'c'.repeat(40),
        CODEBUILD_RESOLVED_SOURCE_VERSION: 'd'.repeat(40),
      });
      expect([result.status, result.stdout.trim()]).toEqual([0, 'c'.repeat(40)]);
    });

    it("falls back to CodeBuild's resolved source version", () => {
      const result = resolve({ CODEBUILD_RESOLVED_SOURCE_VERSION: 'd'.repeat(40) });
      expect([result.status, result.stdout.trim()]).toEqual([0, 'd'.repeat(40)]);
    });

    it('fails the phase, naming the variable to set, when neither is a commit id', () => {
      for (const env of [{}, { CODEBUILD_RESOLVED_SOURCE_VERSION: 'arn:aws:s3:::b/k.zip' }]) {
        const result = resolve(env);
        expect(result.status).toBe(1);
        expect(result.stderr).toContain('must set SOURCE_COMMIT_ID');
      }
    });
  });
});
