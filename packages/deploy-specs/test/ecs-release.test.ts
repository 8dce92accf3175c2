import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, type CommandIo } from '../src/command/program.js';
import { webappColor } from '../src/definition/index.js';
import { ecsReleaseTaskDefinition } from '../src/release/documents.js';
import { checkEcsRelease, renderEcsRelease } from '../src/release/render.js';
import {
  EXAMPLE_ECS_RELEASE_VALUES,
  readEcsReleaseValues,
  readReleaseController,
  ReleaseEnvironmentError,
} from '../src/release/values.js';
import { RELEASE_ENVIRONMENT } from './fixtures/release-environment.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const ENV = { ...RELEASE_ENVIRONMENT, DEPLOYMENT_CONTROLLER: 'ecs', IMAGE_DIGEST: DIGEST };

describe('ecs release values', () => {
  it('takes the controller from DEPLOYMENT_CONTROLLER, codedeploy when unset', () => {
    expect(readReleaseController({})).toBe('codedeploy');
    expect(readReleaseController({ DEPLOYMENT_CONTROLLER: ' ' })).toBe('codedeploy');
    expect(readReleaseController({ DEPLOYMENT_CONTROLLER: 'ecs' })).toBe('ecs');
    expect(() => readReleaseController({ DEPLOYMENT_CONTROLLER: 'ECS' })).toThrow(
      'DEPLOYMENT_CONTROLLER="ECS" is not one of codedeploy, ecs',
    );
  });

  it('reads the digest and not the CodeDeploy hook names', () => {
    const rest: Record<string, string> = { ...ENV };
    delete rest.SMOKE_TEST_FUNCTION_NAME;
    delete rest.PRODUCTION_CHECK_FUNCTION_NAME;
    expect(readEcsReleaseValues(webappColor, rest)).toEqual({
      imageRepositoryUri: ENV.IMAGE_REPOSITORY_URI,
      taskFamily: 'webapp-color',
      executionRoleArn: ENV.TASK_EXECUTION_ROLE_ARN,
      taskRoleArn: ENV.TASK_ROLE_ARN,
      logGroupName: '/ecs/webapp-color',
      region: 'eu-west-1',
      commitId: 'a'.repeat(40),
      imageDigest: DIGEST,
    });
  });

  it('names a missing or malformed digest', () => {
    const missing: Record<string, string> = { ...ENV };
    delete missing.IMAGE_DIGEST;
    expect(() => readEcsReleaseValues(webappColor, missing)).toThrow(
      new ReleaseEnvironmentError(['IMAGE_DIGEST'], []),
    );
    expect(() => readEcsReleaseValues(webappColor, { ...ENV, IMAGE_DIGEST: 'sha256:abc' })).toThrow(
      /IMAGE_DIGEST="sha256:abc" is not an image digest \(sha256: and 64 hex digits/,
    );
  });
});

describe('ecs release files', () => {
  it('renders the full task definition with the image by digest', () => {
    const taskdef = ecsReleaseTaskDefinition(webappColor, EXAMPLE_ECS_RELEASE_VALUES);
    const container = taskdef.containerDefinitions[0]!;
    expect(container.image).toBe(
      `${EXAMPLE_ECS_RELEASE_VALUES.imageRepositoryUri}@${EXAMPLE_ECS_RELEASE_VALUES.imageDigest}`,
    );
    // What the CodePipeline ECS standard action would not ship: the rest of the definition.
    expect(taskdef).toMatchObject({ cpu: webappColor.task.cpu, memory: webappColor.task.memory });
    expect(container.environment).toContainEqual({ name: 'APP_COLOR', value: 'blue' });
    expect(container.environment).toContainEqual({
      name: 'APP_VERSION',
      value: EXAMPLE_ECS_RELEASE_VALUES.commitId,
    });
  });

  it('renders imagedefinitions.json naming the same container and image, and validates both', () => {
    const rendered = renderEcsRelease(webappColor, EXAMPLE_ECS_RELEASE_VALUES);
    expect(rendered.files.map((file) => file.name)).toEqual([
      'taskdef.json',
      'imagedefinitions.json',
    ]);
    expect(
      JSON.parse(rendered.files.find((file) => file.name === 'imagedefinitions.json')!.content),
    ).toEqual([
      {
        name: 'webapp-color',
        imageUri: `${EXAMPLE_ECS_RELEASE_VALUES.imageRepositoryUri}@${EXAMPLE_ECS_RELEASE_VALUES.imageDigest}`,
      },
    ]);
    expect(rendered.errors).toEqual([]);
  });

  it('refuses an imagedefinitions.json whose name or image differs from the taskdef', () => {
    const rendered = renderEcsRelease(webappColor, EXAMPLE_ECS_RELEASE_VALUES);
    const taskdef = rendered.files.find((file) => file.name === 'taskdef.json')!;
    const wrongName = checkEcsRelease([
      taskdef,
      { name: 'imagedefinitions.json', content: '[{"name":"web","imageUri":"x@sha256:1"}]' },
    ]);
    expect(wrongName.errors.map((error) => error.ruleId)).toContain('RELEASE_IMAGE_DEFINITIONS');
    const wrongImage = checkEcsRelease([
      taskdef,
      {
        name: 'imagedefinitions.json',
        content: '[{"name":"webapp-color","imageUri":"repo:latest"}]',
      },
    ]);
    expect(wrongImage.errors.map((error) => [error.file, error.ruleId])).toEqual([
      ['imagedefinitions.json', 'RELEASE_IMAGE_MATCHES_TASKDEF'],
    ]);
    expect(wrongImage.errors[0]!.message).toContain(
      'imagedefinitions.json[0].imageUri "repo:latest" differs',
    );
  });
});

describe('deploy-specs render under DEPLOYMENT_CONTROLLER=ecs', () => {
  async function cli(argv: string[], env: Record<string, string>, cwd: string) {
    let stdout = '';
    let stderr = '';
    const io: CommandIo = {
      cwd,
      env,
      stdout: (text: string) => void (stdout += text),
      stderr: (text: string) => void (stderr += text),
    };
    const code = await run(argv, io);
    return { code, stdout, stderr };
  }

  it('writes taskdef.json and imagedefinitions.json, and no CodeDeploy file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecs-render-'));
    const result = await cli(['render', '--out', 'release'], ENV, dir);
    expect(result.code).toBe(0);
    expect((await readdir(join(dir, 'release'))).sort()).toEqual([
      'imagedefinitions.json',
      'taskdef.json',
    ]);
    const taskdef = JSON.parse(await readFile(join(dir, 'release', 'taskdef.json'), 'utf8')) as {
      containerDefinitions: { image: string }[];
    };
    expect(taskdef.containerDefinitions[0]!.image).toBe(`${ENV.IMAGE_REPOSITORY_URI}@${DIGEST}`);
  });

  it('writes nothing without the digest, naming the variable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ecs-render-'));
    const env: Record<string, string> = { ...ENV };
    delete env.IMAGE_DIGEST;
    const result = await cli(['render', '--out', 'release'], env, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing environment variable: IMAGE_DIGEST');
    await expect(readdir(join(dir, 'release'))).rejects.toThrow();
  });
});
