import { releaseVariableNames } from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { onlyResource, resourcesOf, stagingConfig, synthesize } from './support.js';

// Both stacks, synthesized once for the whole file, with the real bootstrap image asset.
const { app } = synthesize(stagingConfig, webappColor, { realBootstrapImage: true });
const resources = resourcesOf(app);
const only = (type: string) => onlyResource(resources, type);

describe('ReleaseBuild', () => {
  it("sets exactly the CodeBuild environment variables the buildspec's render step needs, from the real resources", () => {
    const project = only('AWS::CodeBuild::Project');
    const variables = (
      project.Environment as {
        EnvironmentVariables: { Name: string; Type: string; Value: unknown }[];
      }
    ).EnvironmentVariables;
    expect(variables.map((v) => v.Name).sort()).toEqual(
      [...releaseVariableNames(webappColor)].sort(),
    );
    const value = (key: keyof typeof webappColor.releaseEnvironment) =>
      JSON.stringify(variables.find((v) => v.Name === webappColor.releaseEnvironment[key])!.Value);
    expect(value('imageRepositoryUri')).toContain('Fn::ImportValue');
    expect(value('imageRepositoryUri')).toContain('ImageRepository');
    expect(value('taskFamily')).toBe(JSON.stringify('myproject-staging-webapp-color'));
    expect(value('executionRoleArn')).toMatch(/ServiceExecutionRole.*Arn/);
    expect(value('taskRoleArn')).toMatch(/ServiceTaskRole.*Arn/);
    expect(value('logGroupName')).toBe(JSON.stringify({ Ref: 'AppLogGroup' }));
    // Fixed names from the configuration, so an AppSpec already built keeps naming a live function.
    expect(value('afterAllowTestTrafficHook')).toBe(
      JSON.stringify('myproject-staging-after-allow-test-traffic'),
    );
    expect(value('afterAllowTrafficHook')).toBe(
      JSON.stringify('myproject-staging-after-allow-traffic'),
    );
    expect(variables.every((v) => v.Type === 'PLAINTEXT')).toBe(true);
  });

  it('creates the CodeBuild project: privileged, image and size from the definition, buildspec from the source, local cache', () => {
    expect(only('AWS::CodeBuild::Project')).toMatchObject({
      Environment: {
        Image: webappColor.build.codeBuildImage,
        ComputeType: webappColor.build.computeType,
        PrivilegedMode: true,
        Type: 'LINUX_CONTAINER',
      },
      Source: { Type: 'CODEPIPELINE', BuildSpec: 'buildspec.yaml' },
      Cache: { Type: 'LOCAL', Modes: ['LOCAL_DOCKER_LAYER_CACHE', 'LOCAL_CUSTOM_CACHE'] },
    });
  });
});
