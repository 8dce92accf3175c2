import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  BUILDSPEC_PATH,
  EXAMPLE_RELEASE_VALUES,
  parseSource,
  renderRelease,
} from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { ReleasePipeline } from '../lib/constructs/release-pipeline.js';
import {
  constructStack,
  EXECUTION_ROLE_ARN,
  importedDeployment,
  importedTaskRoles,
  TASK_ROLE_ARN,
} from './stand-ins.js';
import { onlyResource, resourcesOf } from './support.js';

// The pipeline in a stack of its own, on an imported build project, CodeDeploy
// application and group and task roles, and a minimal artifact bucket.
function build(): Template {
  const stack = constructStack();
  new ReleasePipeline(stack, 'Release', {
    definition: webappColor,
    namePrefix: 'myproject-staging',
    source: { owner: 'example-owner', repo: 'webapp-color', branch: 'master' },
    project: codebuild.Project.fromProjectName(stack, 'Project', 'webapp-color-release'),
    deploy: { controller: 'codedeploy', ...importedDeployment(stack) },
    // A real bucket: the construct acknowledges cdk-nag findings by its logical id.
    artifactBucket: new s3.Bucket(stack, 'Artifacts'),
    ...importedTaskRoles(stack),
  });
  return Template.fromStack(stack);
}

const app = build();
const resources = resourcesOf(app);
const only = (type: string) => onlyResource(resources, type);
const { container } = webappColor;

describe('ReleasePipeline', () => {
  it('creates the GitHub connection (PENDING until the handshake) when none is configured', () => {
    app.hasResourceProperties('AWS::CodeStarConnections::Connection', {
      ConnectionName: 'myproject-staging-github',
      ProviderType: 'GitHub',
    });
  });

  it('creates the pipeline V2: Source on push to the branch → Build → CodeDeployToECS with the image from imageDetail.json', () => {
    const pipeline = only('AWS::CodePipeline::Pipeline');
    expect(pipeline.PipelineType).toBe('V2');
    expect(pipeline.ExecutionMode).toBe('QUEUED');
    const stages = pipeline.Stages as {
      Name: string;
      Actions: { ActionTypeId: Record<string, string>; Configuration: Record<string, unknown> }[];
    }[];
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build', 'Deploy']);
    const [source, build, deploy] = stages.map((s) => s.Actions[0]!);
    expect(source!.ActionTypeId).toMatchObject({
      Provider: 'CodeStarSourceConnection',
      Category: 'Source',
    });
    expect(source!.Configuration).toMatchObject({
      FullRepositoryId: 'example-owner/webapp-color',
      BranchName: 'master',
    });
    expect(build!.ActionTypeId).toMatchObject({ Provider: 'CodeBuild', Category: 'Build' });
    // The build tags the image with the commit the source action fetched.
    const sourceNamespace = (stages[0]!.Actions[0] as { Namespace?: string }).Namespace;
    expect(sourceNamespace).toBeTruthy();
    expect(JSON.parse(build!.Configuration.EnvironmentVariables as string)).toEqual([
      {
        name: webappColor.build.sourceCommitVariable,
        type: 'PLAINTEXT',
        value: `#{${sourceNamespace}.CommitId}`,
      },
    ]);
    expect(deploy!.ActionTypeId).toMatchObject({ Provider: 'CodeDeployToECS', Category: 'Deploy' });
    expect(deploy!.Configuration).toMatchObject({
      TaskDefinitionTemplateArtifact: 'Build',
      TaskDefinitionTemplatePath: 'taskdef.json',
      AppSpecTemplateArtifact: 'Build',
      AppSpecTemplatePath: 'appspec.yaml',
      Image1ArtifactName: 'Build',
      Image1ContainerName: 'IMAGE1_NAME',
    });
    expect(pipeline.Triggers).toEqual([
      {
        ProviderType: 'CodeStarSourceConnection',
        GitConfiguration: {
          SourceActionName: 'GitHub',
          Push: [{ Branches: { Includes: ['master'] } }],
        },
      },
    ]);
  });

  it("reads the release files where the committed buildspec leaves them, replacing the render step's image placeholder", () => {
    const pipeline = only('AWS::CodePipeline::Pipeline');
    const deploy = (
      pipeline.Stages as { Name: string; Actions: { Configuration: Record<string, string> }[] }[]
    ).find((stage) => stage.Name === 'Deploy')!.Actions[0]!.Configuration;
    const text = readFileSync(new URL(`../../${BUILDSPEC_PATH}`, import.meta.url), 'utf8');
    const buildspec = parseSource(BUILDSPEC_PATH, text, 'yaml').value as {
      artifacts: Record<string, unknown>;
    };
    // One primary artifact whose first environment's files sit at its root,
    // which is where CodeDeployToECS looks for the paths and for
    // imageDetail.json; promoted environments' files are in their folders.
    expect(buildspec.artifacts['base-directory']).toBe('release');
    expect(buildspec.artifacts['discard-paths']).toBe('no');
    expect(buildspec.artifacts['secondary-artifacts']).toBeUndefined();
    expect(buildspec.artifacts.files).toEqual(
      expect.arrayContaining([
        'imageDetail.json',
        deploy.TaskDefinitionTemplatePath,
        deploy.AppSpecTemplatePath,
      ]),
    );
    // The project reads BUILDSPEC_PATH (release-build.test.ts; the pipeline runs it: app.test.ts).
    const rendered = renderRelease(webappColor, EXAMPLE_RELEASE_VALUES).files;
    const taskdef = JSON.parse(
      rendered.find((file) => file.name === deploy.TaskDefinitionTemplatePath)!.content,
    ) as { containerDefinitions: { name: string; image: string }[] };
    expect(taskdef.containerDefinitions.map((c) => [c.name, c.image])).toEqual([
      [container.name, `<${deploy.Image1ContainerName}>`],
    ]);
    expect(rendered.map((file) => file.name)).toContain(deploy.AppSpecTemplatePath);
  });

  it('lets the deploy action pass only the two task roles', () => {
    const passRole = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap(
        (p) =>
          (
            p.Properties.PolicyDocument as {
              Statement: { Action: string | string[]; Resource: unknown }[];
            }
          ).Statement,
      )
      .filter((s) => [s.Action].flat().includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    expect(passRole[0]!.Resource).toEqual([EXECUTION_ROLE_ARN, TASK_ROLE_ARN]);
  });
});
