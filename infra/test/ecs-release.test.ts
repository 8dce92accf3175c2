import { readFileSync } from 'node:fs';
import {
  BUILDSPEC_PATH,
  DEPLOYMENT_CONTROLLER_VARIABLE,
  parseSource,
  RELEASE_FILES,
  SHIP_BUNDLE,
} from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { SHIP_API_CALLS } from '@webapp-color/ship/api-calls';
import { describe, expect, it } from 'vitest';
import { parseInfraConfig, type InfraConfigInput } from '../config/index.js';
import { SHIP_MARGIN_MINUTES } from '../config/ecs-deployment.js';
import { stagingEcs } from '../config/staging-ecs.js';
import {
  resourcesOf,
  roleActions,
  synthesize,
  unacknowledgedNagFindings,
  type ResourceJson,
} from './support.js';

const ecsConfig = (patch: Partial<InfraConfigInput['deployment']> = {}) =>
  parseInfraConfig('staging-ecs', {
    ...stagingEcs,
    deployment: { ...stagingEcs.deployment, ...patch },
  });
const native = synthesize(ecsConfig());
const resources = resourcesOf(native.app);
const ofType = (type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

interface Stage {
  Name: string;
  Actions: {
    Name: string;
    ActionTypeId: Record<string, string>;
    Configuration: Record<string, unknown>;
    InputArtifacts?: { Name: string }[];
  }[];
}
const stages = (ofType('AWS::CodePipeline::Pipeline')[0]![1].Properties.Stages ?? []) as Stage[];
const projects = ofType('AWS::CodeBuild::Project');
const projectOf = (ref: unknown): [string, ResourceJson] =>
  projects.find(([id]) => JSON.stringify({ Ref: id }) === JSON.stringify(ref))!;
const variablesOf = (project: ResourceJson) =>
  Object.fromEntries(
    (
      project.Properties.Environment as { EnvironmentVariables: { Name: string; Value: unknown }[] }
    ).EnvironmentVariables.map((variable) => [variable.Name, variable.Value]),
  );

describe('the release path of an environment on the ECS controller', () => {
  it('has Source → Build → Deploy, Deploy being a CodeBuild action on the build output, not the ECS deploy action', () => {
    expect(stages.map((stage) => stage.Name)).toEqual(['Source', 'Build', 'Deploy']);
    const deploy = stages[2]!.Actions[0]!;
    expect(deploy.ActionTypeId).toMatchObject({ Category: 'Build', Provider: 'CodeBuild' });
    expect(deploy.InputArtifacts).toEqual([{ Name: 'Build' }]);
    expect(JSON.stringify(stages)).not.toContain('"Provider":"ECS"');
    expect(ofType('AWS::CodeDeploy::Application')).toEqual([]);
  });

  it('builds with DEPLOYMENT_CONTROLLER=ecs and without CodeDeploy hook names', () => {
    const [, build] = projectOf(stages[1]!.Actions[0]!.Configuration.ProjectName);
    const variables = variablesOf(build);
    expect(variables[DEPLOYMENT_CONTROLLER_VARIABLE]).toBe('ecs');
    expect(variables).not.toHaveProperty(webappColor.releaseEnvironment.afterAllowTrafficHook);
    expect(build.Properties.Source).toMatchObject({ BuildSpec: BUILDSPEC_PATH });
  });

  it('runs the bundled ship program from the build output, on this cluster and service', () => {
    const [, ship] = projectOf(stages[2]!.Actions[0]!.Configuration.ProjectName);
    const spec = JSON.parse((ship.Properties.Source as { BuildSpec: string }).BuildSpec) as {
      phases: Record<string, { commands?: string[]; 'runtime-versions'?: unknown }>;
    };
    expect(spec.phases.install!['runtime-versions']).toEqual({
      nodejs: webappColor.build.nodejsRuntime,
    });
    expect(spec.phases.build!.commands).toEqual([`node ${SHIP_BUNDLE.name} --release-dir .`]);
    expect(variablesOf(ship)).toEqual({
      ECS_CLUSTER: { Ref: 'Cluster' },
      ECS_SERVICE: { 'Fn::GetAtt': ['Service', 'Name'] },
    });
    // The committed buildspec puts the program and the ecs release files in the artifact.
    const text = readFileSync(new URL(`../../${BUILDSPEC_PATH}`, import.meta.url), 'utf8');
    const buildspec = parseSource(BUILDSPEC_PATH, text, 'yaml').value as {
      artifacts: { files: string[] };
    };
    expect(buildspec.artifacts.files).toEqual(expect.arrayContaining([...RELEASE_FILES.ecs]));
  });

  it("times the Deploy action out after the deployment's own time and the margin", () => {
    const [, ship] = projectOf(stages[2]!.Actions[0]!.Configuration.ProjectName);
    // staging-ecs: bake 15 + canary interval 5.
    expect(ship.Properties.TimeoutInMinutes).toBe(15 + 5 + SHIP_MARGIN_MINUTES);
    const linear = resourcesOf(
      synthesize(
        ecsConfig({
          strategy: { type: 'linear', percent: 25, intervalMinutes: 10 },
          terminationWaitMinutes: 60,
        }),
      ).app,
    );
    const timeouts = Object.values(linear)
      .filter((resource) => resource.Type === 'AWS::CodeBuild::Project')
      .map((resource) => resource.Properties.TimeoutInMinutes);
    expect(timeouts).toContain(60 + 3 * 10 + SHIP_MARGIN_MINUTES);
  });

  it("writes the ship role from the program's own list of calls, scoped to the service", () => {
    const [, ship] = projectOf(stages[2]!.Actions[0]!.Configuration.ProjectName);
    const role = (ship.Properties.ServiceRole as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const actions = roleActions(resources, role);
    for (const call of SHIP_API_CALLS) expect(actions, call.action).toContain(call.action);
    expect(actions).toContain('ecs:TagResource');
    expect(actions).toContain('iam:PassRole');
    const statements = Object.values(resources)
      .filter(
        (resource) =>
          resource.Type === 'AWS::IAM::Policy' &&
          JSON.stringify(resource.Properties.Roles) === JSON.stringify([{ Ref: role }]),
      )
      .flatMap(
        (policy) =>
          (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
      );
    const statementOf = (action: string) =>
      statements.find((statement) => ([] as unknown[]).concat(statement.Action).includes(action))!;
    expect(statementOf('ecs:UpdateService').Resource).toEqual({ Ref: 'Service' });
    expect(statementOf('iam:PassRole')).toMatchObject({
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    });
    expect((statementOf('iam:PassRole').Resource as unknown[]).length).toBe(2);
    expect(statementOf('ecs:TagResource')).toMatchObject({
      Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    });
    expect(JSON.stringify(statementOf('ecs:DescribeServiceDeployments').Resource)).toContain(
      ':service-deployment/',
    );
    // No wildcard action, and nothing beyond the list and what RegisterTaskDefinition implies.
    expect(actions.filter((action) => action.includes('*') && action.startsWith('ecs:'))).toEqual(
      [],
    );
  });

  it('tells the topic when the pipeline fails or an ECS service deployment fails', () => {
    const rules = ofType('AWS::Events::Rule').map(([, rule]) => rule.Properties.EventPattern);
    expect(rules).toContainEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Deployment State Change'],
      resources: [{ Ref: 'Service' }],
      detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
    });
  });

  it('is cdk-nag clean', () => {
    expect(unacknowledgedNagFindings(native.stacks)).toEqual([]);
  });
});
