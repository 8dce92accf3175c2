import { Template } from 'aws-cdk-lib/assertions';
import {
  DEPLOYMENT_CONTROLLER_VARIABLE,
  EXAMPLE_RELEASE_VALUES,
  releaseVariableNames,
} from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { ReleaseBuild, type ReleaseEnvironmentValues } from '../lib/constructs/release-build.js';
import { constructStack, importedRepository } from './stand-ins.js';
import { onlyResource, resourcesOf } from './support.js';

// What only the deployed resources know: here the documented example values.
const example = EXAMPLE_RELEASE_VALUES;
const releaseValues: ReleaseEnvironmentValues = {
  imageRepositoryUri: example.imageRepositoryUri,
  taskFamily: example.taskFamily,
  executionRoleArn: example.executionRoleArn,
  taskRoleArn: example.taskRoleArn,
  logGroupName: example.logGroupName,
  afterAllowTestTrafficHook: example.afterAllowTestTrafficHook,
  afterAllowTrafficHook: example.afterAllowTrafficHook,
};

function build(props: Partial<ConstructorParameters<typeof ReleaseBuild>[2]> = {}): Template {
  const stack = constructStack();
  new ReleaseBuild(stack, 'Build', {
    definition: webappColor,
    repository: importedRepository(stack),
    releaseValues,
    ...props,
  });
  return Template.fromStack(stack);
}

type Variable = { Name: string; Type: string; Value: unknown };
const variablesOf = (template: Template): Variable[] =>
  (
    onlyResource(resourcesOf(template), 'AWS::CodeBuild::Project').Environment as {
      EnvironmentVariables: Variable[];
    }
  ).EnvironmentVariables;

const resources = resourcesOf(build());
const only = (type: string) => onlyResource(resources, type);

describe('ReleaseBuild', () => {
  it("sets exactly the CodeBuild environment variables the buildspec's render step needs, to the values it is given", () => {
    const project = only('AWS::CodeBuild::Project');
    const variables = (
      project.Environment as {
        EnvironmentVariables: { Name: string; Type: string; Value: unknown }[];
      }
    ).EnvironmentVariables;
    expect(variables.map((v) => v.Name).sort()).toEqual(
      [...releaseVariableNames(webappColor), DEPLOYMENT_CONTROLLER_VARIABLE].sort(),
    );
    expect(variables.find((v) => v.Name === DEPLOYMENT_CONTROLLER_VARIABLE)?.Value).toBe(
      'codedeploy',
    );
    const value = (key: keyof typeof webappColor.releaseEnvironment) =>
      JSON.stringify(variables.find((v) => v.Name === webappColor.releaseEnvironment[key])!.Value);
    for (const key of Object.keys(releaseValues) as (keyof typeof releaseValues)[]) {
      expect(value(key), key).toBe(JSON.stringify(releaseValues[key]));
    }
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

  it('under ecs, tells the render step so and sets no CodeDeploy hook names', () => {
    const ecsValues: ReleaseEnvironmentValues = { ...releaseValues };
    delete (ecsValues as { afterAllowTestTrafficHook?: string }).afterAllowTestTrafficHook;
    delete (ecsValues as { afterAllowTrafficHook?: string }).afterAllowTrafficHook;
    const variables = variablesOf(build({ controller: 'ecs', releaseValues: ecsValues }));
    expect(variables.find((v) => v.Name === DEPLOYMENT_CONTROLLER_VARIABLE)?.Value).toBe('ecs');
    const names = variables.map((v) => v.Name);
    expect(names).not.toContain(webappColor.releaseEnvironment.afterAllowTestTrafficHook);
    expect(names).not.toContain(webappColor.releaseEnvironment.afterAllowTrafficHook);
  });

  it('refuses a codedeploy release without its hook names', () => {
    const partial: ReleaseEnvironmentValues = { ...releaseValues };
    delete (partial as { afterAllowTrafficHook?: string }).afterAllowTrafficHook;
    expect(() => build({ releaseValues: partial })).toThrow(
      'ReleaseBuild: a codedeploy release names its hooks: releaseValues.afterAllowTestTrafficHook and afterAllowTrafficHook are required',
    );
  });
});
