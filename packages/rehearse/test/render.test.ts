import { fileURLToPath } from 'node:url';
import { APP_VERSION_VARIABLE, releaseVariableNames } from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { renderLocalRelease, ReleaseRenderError, standInEnvironment } from '../src/render.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const input = {
  repoRoot,
  commitId: '0123456789abcdef0123456789abcdef01234567',
  version: '0123456789abcdef0123456789abcdef01234567-dirty',
  imageRepository: 'localhost/webapp-color',
  region: 'us-east-2',
};

describe('renderLocalRelease', () => {
  it("renders the three release files with deploy-specs' renderer, valid", async () => {
    const release = await renderLocalRelease(webappColor, input);
    expect(release.files.map((file) => file.name).sort()).toEqual([
      'appspec.yaml',
      'imageDetail.json',
      'taskdef.json',
    ]);
    expect(release.imageUri).toBe(`localhost/webapp-color:${input.version}`);
  });

  it('carries the marked version as APP_VERSION, the way the build passes the commit id', async () => {
    const release = await renderLocalRelease(webappColor, input);
    const environment = release.taskDefinition.containerDefinitions[0]!.environment!;
    expect(environment).toContainEqual({ name: APP_VERSION_VARIABLE, value: input.version });
  });

  it("takes the infrastructure's own values over stand-ins (task family, hook names)", async () => {
    const [family, hook] = [
      webappColor.releaseEnvironment.taskFamily,
      webappColor.releaseEnvironment.afterAllowTestTrafficHook,
    ];
    const release = await renderLocalRelease(webappColor, {
      ...input,
      infrastructureValues: {
        [family]: 'myproject-staging-webapp-color',
        [hook]: 'myproject-staging-smoke-test',
      },
    });
    expect(release.taskDefinition.family).toBe('myproject-staging-webapp-color');
    expect(release.appSpec.Hooks).toContainEqual({
      AfterAllowTestTraffic: 'myproject-staging-smoke-test',
    });
  });

  it('gives every release variable a value the build would accept', () => {
    const environment = standInEnvironment(webappColor, input);
    for (const name of releaseVariableNames(webappColor))
      expect(environment[name], name).toBeTruthy();
  });

  it('fails naming the variable when an infrastructure value is unusable', async () => {
    const role = webappColor.releaseEnvironment.taskRoleArn;
    await expect(
      renderLocalRelease(webappColor, { ...input, infrastructureValues: { [role]: 'not-an-arn' } }),
    ).rejects.toThrow(`${role}="not-an-arn" is not an IAM role ARN`);
  });

  it('fails when the rendered release does not validate, with the findings', async () => {
    const broken = { ...webappColor, task: { ...webappColor.task, memory: '3' } };
    await expect(renderLocalRelease(broken, input)).rejects.toThrow(ReleaseRenderError);
  });
});
