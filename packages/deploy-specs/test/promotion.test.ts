import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, type CommandIo } from '../src/command/program.js';
import { webappColor } from '../src/definition/index.js';
import {
  PROMOTED_RELEASES_VARIABLE,
  readPromotedReleases,
  renderPromotedRelease,
  type PromotedRelease,
} from '../src/release/promotion.js';
import { ReleaseEnvironmentError } from '../src/release/values.js';
import { RELEASE_ENVIRONMENT } from './fixtures/release-environment.js';

/** What the build read from the registry after its push (`imagetools inspect … .Manifest.Digest`). */
const PUSHED_DIGEST = `sha256:${'4f'.repeat(32)}`;
const COMMIT = 'c'.repeat(40);
const PROD_REPOSITORY =
  '444455556666.dkr.ecr.eu-central-1.amazonaws.com/myproject-production-webapp-color';

const production: PromotedRelease = {
  environment: 'production',
  controller: 'ecs',
  region: 'eu-central-1',
  values: {
    imageRepositoryUri: PROD_REPOSITORY,
    taskFamily: 'myproject-production-webapp-color',
    executionRoleArn: 'arn:aws:iam::444455556666:role/myproject-production-task-execution',
    taskRoleArn: 'arn:aws:iam::444455556666:role/myproject-production-task',
    logGroupName: '/ecs/myproject-production-webapp-color',
  },
};
const productionOnCodeDeploy: PromotedRelease = {
  ...production,
  controller: 'codedeploy',
  values: {
    ...production.values,
    afterAllowTestTrafficHook: 'myproject-production-after-allow-test-traffic',
    afterAllowTrafficHook: 'myproject-production-after-allow-traffic',
  },
};

interface TaskDefinitionJson {
  family: string;
  taskRoleArn: string;
  containerDefinitions: [{ image: string }];
}

function file(render: { files: readonly { name: string; content: string }[] }, name: string) {
  const found = render.files.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name} in ${render.files.map((f) => f.name).join(', ')}`);
  return found.content;
}

describe('promoted releases', () => {
  it("names production's image by the digest the build pushed, in production's repository (ecs)", () => {
    const render = renderPromotedRelease(webappColor, production, {
      commitId: COMMIT,
      imageDigest: PUSHED_DIGEST,
    });
    expect(render.errors).toEqual([]);
    expect(render.files.map((f) => f.name)).toEqual([
      'production/taskdef.json',
      'production/imagedefinitions.json',
    ]);
    const taskdef = JSON.parse(file(render, 'production/taskdef.json')) as TaskDefinitionJson;
    expect(taskdef.containerDefinitions[0].image).toBe(`${PROD_REPOSITORY}@${PUSHED_DIGEST}`);
    expect(taskdef.family).toBe('myproject-production-webapp-color');
    expect(taskdef.taskRoleArn).toBe(production.values.taskRoleArn);
    expect(JSON.parse(file(render, 'production/imagedefinitions.json'))).toEqual([
      { name: webappColor.container.name, imageUri: `${PROD_REPOSITORY}@${PUSHED_DIGEST}` },
    ]);
  });

  it("names production's image by the digest in imageDetail.json (codedeploy)", () => {
    const render = renderPromotedRelease(webappColor, productionOnCodeDeploy, {
      commitId: COMMIT,
      imageDigest: PUSHED_DIGEST,
    });
    expect(render.errors).toEqual([]);
    expect(render.files.map((f) => f.name)).toEqual([
      'production/imageDetail.json',
      'production/taskdef.json',
      'production/appspec.yaml',
    ]);
    expect(JSON.parse(file(render, 'production/imageDetail.json'))).toEqual({
      ImageURI: `${PROD_REPOSITORY}@${PUSHED_DIGEST}`,
    });
    expect(file(render, 'production/appspec.yaml')).toContain(
      'myproject-production-after-allow-traffic',
    );
    // The taskdef names the image itself: CodeDeployToECS reads imageDetail.json only at the root.
    const taskdef = JSON.parse(file(render, 'production/taskdef.json')) as TaskDefinitionJson;
    expect(taskdef.containerDefinitions[0].image).toBe(`${PROD_REPOSITORY}@${PUSHED_DIGEST}`);
  });

  it('names the environment in every problem of its values', () => {
    expect(() =>
      renderPromotedRelease(
        webappColor,
        { ...production, values: { ...production.values, taskRoleArn: 'task' } },
        { commitId: COMMIT, imageDigest: PUSHED_DIGEST },
      ),
    ).toThrow(/production: TASK_ROLE_ARN="task" is not an IAM role ARN/);
  });

  it('reads PROMOTED_RELEASES: none when unset, each problem named', () => {
    expect(readPromotedReleases(webappColor, {})).toEqual([]);
    expect(
      readPromotedReleases(webappColor, {
        [PROMOTED_RELEASES_VARIABLE]: JSON.stringify([production]),
      }),
    ).toEqual([production]);
    const problems = (value: string) => {
      try {
        readPromotedReleases(webappColor, { [PROMOTED_RELEASES_VARIABLE]: value });
      } catch (error) {
        if (error instanceof ReleaseEnvironmentError) return error.message;
        throw error;
      }
      throw new Error('expected a rejection');
    };
    expect(problems('{')).toMatch(/PROMOTED_RELEASES is not JSON/);
    expect(problems('{}')).toMatch(/PROMOTED_RELEASES must be a JSON array/);
    expect(
      problems(JSON.stringify([{ ...production, controller: 'ECS', environment: 'Prod' }])),
    ).toMatch(
      /PROMOTED_RELEASES\[0\]\.environment="Prod" is not an environment name.*PROMOTED_RELEASES\[0\]\.controller="ECS" is not one of codedeploy, ecs/,
    );
    expect(problems(JSON.stringify([production, production]))).toMatch(
      /names production more than once/,
    );
  });

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

  const buildEnv = {
    ...RELEASE_ENVIRONMENT,
    SOURCE_COMMIT_ID: COMMIT,
    IMAGE_DIGEST: PUSHED_DIGEST,
    [PROMOTED_RELEASES_VARIABLE]: JSON.stringify([production]),
  };

  it('render --promoted writes each environment into its folder, by the pushed digest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'promoted-render-'));
    const result = await cli(['render', '--promoted', '--out', 'release'], buildEnv, dir);
    expect(result.stderr).toContain('wrote');
    expect(result.code).toBe(0);
    expect((await readdir(join(dir, 'release', 'production'))).sort()).toEqual([
      'imagedefinitions.json',
      'taskdef.json',
    ]);
    const taskdef = JSON.parse(
      await readFile(join(dir, 'release/production/taskdef.json'), 'utf8'),
    ) as TaskDefinitionJson;
    expect(taskdef.containerDefinitions[0].image).toBe(`${PROD_REPOSITORY}@${PUSHED_DIGEST}`);
  });

  it('render --promoted refuses without the pushed digest and writes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'promoted-render-'));
    const env: Record<string, string> = { ...buildEnv };
    delete env.IMAGE_DIGEST;
    const result = await cli(['render', '--promoted', '--out', 'release'], env, dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/missing environment variable: IMAGE_DIGEST/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('promoted-repositories lists region, repository and environment for the push loop', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'promoted-repos-'));
    const result = await cli(['promoted-repositories'], buildEnv, dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`eu-central-1 ${PROD_REPOSITORY} production\n`);
  });
});
