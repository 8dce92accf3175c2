import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Template } from 'aws-cdk-lib/assertions';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { PROMOTED_RELEASES_VARIABLE } from '@webapp-color/deploy-specs';
import { HOOK_CHECKS } from '@webapp-color/hooks';
import { afterAll, describe, expect, it } from 'vitest';
import {
  environmentNames,
  loadEnvironments,
  parseEnvironments,
  type InfraConfig,
} from '../config/index.js';
import { production } from '../config/production.js';
import { staging } from '../config/staging.js';
import { composeStacks, type WebappColorStacks } from '../lib/app.js';
import { APPROVAL_MESSAGE_MAX } from '../lib/constructs/release-pipeline.js';
import {
  cdkContext,
  resourcesOf,
  roleActions,
  unacknowledgedNagFindings,
  type ResourceJson,
} from './support.js';
import { SHIP_API_CALLS, SHIP_IMPLIED_PERMISSIONS } from '@webapp-color/ship/api-calls';

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Every environment of a layout in one app, as `pnpm synth` composes them. */
function composeAll(configs: Record<string, InfraConfig>) {
  const outdir = mkdtempSync(join(tmpdir(), 'webapp-color-promotion-'));
  outdirs.push(outdir);
  const app = new App({ outdir, context: cdkContext });
  const stacks: Record<string, WebappColorStacks> = {};
  for (const config of Object.values(configs)) {
    stacks[config.environment] = composeStacks(app, config, webappColor, {
      bootstrapImage: ecs.ContainerImage.fromRegistry(
        'public.ecr.aws/docker/library/busybox:stable',
      ),
      environments: configs,
    });
  }
  app.synth();
  return { stacks, outdir };
}

interface Stage {
  Name: string;
  Actions: {
    Name: string;
    ActionTypeId: { Category: string; Provider: string };
    Configuration?: Record<string, unknown>;
    InputArtifacts?: { Name: string }[];
    OutputArtifacts?: { Name: string }[];
  }[];
  BeforeEntry?: {
    Conditions: {
      Result: string;
      Rules: {
        Name: string;
        RuleTypeId: { Provider: string };
        Configuration: Record<string, unknown>;
      }[];
    }[];
  };
}

function pipelineOf(resources: Record<string, ResourceJson>): Stage[] {
  const pipeline = Object.values(resources).find((r) => r.Type === 'AWS::CodePipeline::Pipeline')!;
  return pipeline.Properties.Stages as Stage[];
}

const oneAccount = composeAll(loadEnvironments());
const stagingApp = resourcesOf(Template.fromStack(oneAccount.stacks.staging!.app));
const productionApp = resourcesOf(Template.fromStack(oneAccount.stacks.production!.app));
const productionStateful = resourcesOf(Template.fromStack(oneAccount.stacks.production!.stateful));

const STAGING_ACCOUNT = '111122223333';
const PRODUCTION_ACCOUNT = '444455556666';
const twoAccountConfigs = parseEnvironments({
  staging: { ...staging, account: STAGING_ACCOUNT },
  production: { ...production, account: PRODUCTION_ACCOUNT },
});
const twoAccounts = composeAll(twoAccountConfigs);
// The other controller mix across accounts: production on CodeDeploy, whose
// action reads the artifacts in production's account.
const twoAccountsCodeDeploy = composeAll(
  parseEnvironments({
    staging: { ...staging, account: STAGING_ACCOUNT },
    production: {
      ...production,
      account: PRODUCTION_ACCOUNT,
      deployment: {
        strategy: { type: 'canary', percent: 10, intervalMinutes: 5 },
        terminationWaitMinutes: 30,
      },
    },
  }),
);

describe('promotion: one build, staging, the gates, production', () => {
  const stages = pipelineOf(stagingApp);
  const actions = stages.flatMap((stage) => stage.Actions.map((action) => ({ stage, action })));

  it('orders source, exactly one image build, staging deployment, manual approval, production deployment', () => {
    const kinds = actions.map(
      ({ stage, action }) => `${stage.Name}:${action.ActionTypeId.Provider}`,
    );
    expect(kinds).toEqual([
      'Source:CodeStarSourceConnection',
      'Build:CodeBuild',
      'Deploy:CodeDeployToECS',
      'Approve-production:Manual',
      'Deploy-production:CodeBuild',
    ]);
    const builds = actions.filter(
      ({ action }) =>
        (action.OutputArtifacts ?? []).length > 0 && action.ActionTypeId.Category === 'Build',
    );
    expect(builds).toHaveLength(1);
    const buildOutput = builds[0]!.action.OutputArtifacts![0]!.Name;
    // Staging and production read the SAME build output.
    expect(actions.at(2)!.action.InputArtifacts).toEqual([{ Name: buildOutput }]);
    expect(actions.at(-1)!.action.InputArtifacts).toEqual([{ Name: buildOutput }]);
    // Production's Deploy project is not the build's: it ships, it does not build.
    expect(actions.at(-1)!.action.Configuration!.ProjectName).not.toEqual(
      builds[0]!.action.Configuration!.ProjectName,
    );
  });

  it("asks for approval on the notifications topic with the commit, staging's URL and what its hooks checked", () => {
    const approval = actions.find(
      ({ action }) => action.ActionTypeId.Provider === 'Manual',
    )!.action;
    const topicId = Object.entries(stagingApp).find(([, r]) => r.Type === 'AWS::SNS::Topic')![0];
    expect(approval.Configuration!.NotificationArn).toEqual({ Ref: topicId });
    const message = approval.Configuration!.CustomData as string;
    expect(message).toContain('#{Source_GitHub_NS.CommitId}');
    expect(message).toContain('#{Source_GitHub_NS.CommitMessage}');
    expect(message).toContain('https://staging.myapp.example.com');
    for (const check of [...HOOK_CHECKS.AfterAllowTestTraffic, ...HOOK_CHECKS.AfterAllowTraffic])
      expect(message).toContain(check);
    expect(approval.Configuration!.ExternalEntityLink).toBe('https://staging.myapp.example.com');
    expect(message.length).toBeLessThanOrEqual(APPROVAL_MESSAGE_MAX);
  });

  it('enters production only with no staging rollback alarm in ALARM and inside the window', () => {
    const deployProduction = stages.find((stage) => stage.Name === 'Deploy-production')!;
    const [alarms, window] = deployProduction.BeforeEntry!.Conditions;
    const alarmIds = Object.entries(stagingApp)
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([id]) => ({ Ref: id }));
    expect(alarms!.Result).toBe('FAIL');
    expect(alarms!.Rules.map((rule) => rule.RuleTypeId.Provider)).toEqual(
      alarmIds.map(() => 'CloudWatchAlarm'),
    );
    expect(alarms!.Rules.map((rule) => rule.Configuration.AlarmName)).toEqual(
      expect.arrayContaining(alarmIds),
    );
    expect(window!.Rules).toEqual([
      expect.objectContaining({
        RuleTypeId: expect.objectContaining({ Provider: 'DeploymentWindow' }) as unknown,
        Configuration: { Cron: '* * 9-16 ? * MON-FRI', TimeZone: 'Europe/Paris' },
      }),
    ]);
  });

  it("renders production's release from the same function that names production's resources", () => {
    const build = Object.values(stagingApp).find(
      (r) =>
        r.Type === 'AWS::CodeBuild::Project' &&
        JSON.stringify(r.Properties.Environment).includes(PROMOTED_RELEASES_VARIABLE),
    )!;
    const variables = (
      build.Properties.Environment as { EnvironmentVariables: { Name: string; Value: unknown }[] }
    ).EnvironmentVariables;
    const promoted = JSON.stringify(
      variables.find((v) => v.Name === PROMOTED_RELEASES_VARIABLE)!.Value,
    );
    const names = environmentNames({
      prefix: 'myproject',
      environment: 'production',
      appName: webappColor.app.name,
    });
    for (const name of [
      names.taskFamily,
      names.taskRole,
      names.executionRole,
      names.logGroup,
      names.repository,
    ])
      expect(promoted).toContain(name);
    // …and production's stacks create exactly those names.
    const props = (type: string) =>
      Object.values(productionApp)
        .filter((r) => r.Type === type)
        .map((r) => r.Properties);
    expect(props('AWS::IAM::Role').map((p) => p.RoleName)).toEqual(
      expect.arrayContaining([names.taskRole, names.executionRole]),
    );
    expect(props('AWS::Logs::LogGroup').map((p) => p.LogGroupName)).toContain(names.logGroup);
    expect(props('AWS::ECS::Cluster').map((p) => p.ClusterName)).toEqual([names.cluster]);
    expect(props('AWS::ECS::Service').map((p) => p.ServiceName)).toEqual([names.service]);
    expect(props('AWS::ECS::TaskDefinition').map((p) => p.Family)).toEqual([names.taskFamily]);
    expect(
      Object.values(productionStateful)
        .filter((r) => r.Type === 'AWS::ECR::Repository')
        .map((r) => r.Properties.RepositoryName),
    ).toEqual([names.repository]);
    // Production owns no pipeline and no build: it is staging's.
    expect(
      Object.values(productionApp).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline'),
    ).toEqual([]);
  });

  it("pauses production's deployment after the test traffic shift, as configured", () => {
    const service = Object.values(productionApp).find((r) => r.Type === 'AWS::ECS::Service')!;
    const hooks = (
      service.Properties.DeploymentConfiguration as { LifecycleHooks: Record<string, unknown>[] }
    ).LifecycleHooks;
    expect(hooks.filter((hook) => hook.TargetType === 'PAUSE')).toEqual([
      {
        TargetType: 'PAUSE',
        LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
        TimeoutConfiguration: { TimeoutInMinutes: 60, Action: 'ROLLBACK' },
      },
    ]);
  });

  it('ships production with the timeout of its deployment plus the pause', () => {
    const ship = Object.values(stagingApp).find(
      (r) =>
        r.Type === 'AWS::CodeBuild::Project' &&
        JSON.stringify(r.Properties.Environment).includes('"ECS_SERVICE"') &&
        JSON.stringify(r.Properties.Environment).includes(
          `"Value":"${environmentNames({ prefix: 'myproject', environment: 'production', appName: webappColor.app.name }).service}"`,
        ),
    )!;
    // linear 20 % every 5 min: 4 steps × 5 + bake 30 = 50; margin 30; pause 60.
    expect(ship.Properties.TimeoutInMinutes).toBe(140);
    expect(JSON.stringify(ship.Properties.Source)).toContain(
      'node production/ship.mjs --release-dir production',
    );
  });
});

describe('layouts: one account and two accounts', () => {
  it('is cdk-nag clean in both', () => {
    const findings = [oneAccount, twoAccounts, twoAccountsCodeDeploy].flatMap((layout) =>
      Object.values(layout.stacks).flatMap((stacks) => unacknowledgedNagFindings(stacks)),
    );
    expect(findings).toEqual([]);
  });

  const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  it.runIf(cfnLint.status === 0)(
    'passes cfn-lint with 0 errors in both (skipped only without cfn-lint)',
    () => {
      for (const layout of [oneAccount, twoAccounts, twoAccountsCodeDeploy]) {
        const templates = readdirSync(layout.outdir)
          .filter((file) => file.endsWith('.template.json'))
          .map((file) => join(layout.outdir, file));
        expect(templates.length).toBeGreaterThanOrEqual(4);
        const result = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', ...templates], {
          encoding: 'utf8',
        });
        expect(result.stdout + result.stderr).toBe('');
        expect(result.status).toBe(0);
      }
    },
  );

  it("trusts the pipeline's account in production's account: deploy role, repository push", () => {
    const prodApp = resourcesOf(Template.fromStack(twoAccounts.stacks.production!.app));
    const prodStateful = resourcesOf(Template.fromStack(twoAccounts.stacks.production!.stateful));
    const names = environmentNames({
      prefix: 'myproject',
      environment: 'production',
      appName: webappColor.app.name,
    });
    const stagingNames = environmentNames({
      prefix: 'myproject',
      environment: 'staging',
      appName: webappColor.app.name,
    });
    const deployRole = Object.values(prodApp).find(
      (r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === names.deployRole,
    )!;
    expect(JSON.stringify(deployRole.Properties.AssumeRolePolicyDocument)).toContain(`arn:`);
    expect(JSON.stringify(deployRole.Properties.AssumeRolePolicyDocument)).toContain(
      STAGING_ACCOUNT,
    );
    // Its permissions are the ship program's own list of calls, nothing more.
    const deployRoleId = Object.entries(prodApp).find(
      ([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === names.deployRole,
    )![0];
    expect([...new Set(roleActions(prodApp, deployRoleId))].sort()).toEqual(
      [
        ...new Set([
          ...SHIP_API_CALLS.map((call) => call.action),
          ...SHIP_IMPLIED_PERMISSIONS.map((implied) => implied.action),
        ]),
      ].sort(),
    );
    const repository = Object.values(prodStateful).find((r) => r.Type === 'AWS::ECR::Repository')!;
    expect(JSON.stringify(repository.Properties.RepositoryPolicyText)).toContain(
      `arn:aws:iam::${STAGING_ACCOUNT}:role/${stagingNames.buildRole}`,
    );
    const stagingApp2 = resourcesOf(Template.fromStack(twoAccounts.stacks.staging!.app));
    expect(
      Object.values(stagingApp2).some(
        (r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === stagingNames.buildRole,
      ),
    ).toBe(true);
    // Production's Deploy action assumes that role for every ECS call, and may do nothing else.
    const ship = Object.entries(stagingApp2).find(
      ([, r]) =>
        r.Type === 'AWS::CodeBuild::Project' &&
        JSON.stringify(r.Properties.Environment).includes('SHIP_ROLE_ARN'),
    )!;
    expect(JSON.stringify(ship[1].Properties.Environment)).toContain(
      `:iam::${PRODUCTION_ACCOUNT}:role/${names.deployRole}`,
    );
    const shipRoleId = (ship[1].Properties.ServiceRole as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const shipStatements = Object.values(stagingApp2)
      .filter(
        (r) =>
          r.Type === 'AWS::IAM::Policy' &&
          JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: shipRoleId }]),
      )
      .flatMap(
        (r) => (r.Properties.PolicyDocument as { Statement: { Action: unknown }[] }).Statement,
      )
      .map((statement) => statement.Action)
      .flat();
    expect(shipStatements).toContain('sts:AssumeRole');
    expect(shipStatements.filter((action) => String(action).startsWith('ecs:'))).toEqual([]);
    // The one-account layout stays as it was: no fixed build role, no deploy role in production.
    expect(
      Object.values(stagingApp).some(
        (r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === stagingNames.buildRole,
      ),
    ).toBe(false);
    expect(
      Object.values(productionApp).some(
        (r) => r.Type === 'AWS::IAM::Role' && r.Properties.RoleName === names.deployRole,
      ),
    ).toBe(false);
    expect(JSON.stringify(stagingApp)).not.toContain('SHIP_ROLE_ARN');
  });
});

describe('two accounts, production on CodeDeploy', () => {
  const pipelineApp = resourcesOf(Template.fromStack(twoAccountsCodeDeploy.stacks.staging!.app));
  const names = environmentNames({
    prefix: 'myproject',
    environment: 'production',
    appName: webappColor.app.name,
  });
  const deployRoleArn = `:iam::${PRODUCTION_ACCOUNT}:role/${names.deployRole}`;

  it("deploys with production's role and encrypts the artifacts with a key that role may use", () => {
    const stages = pipelineOf(pipelineApp);
    const deploy = stages.find((stage) => stage.Name === 'Deploy-production')!.Actions[0]!;
    expect(deploy.ActionTypeId.Provider).toBe('CodeDeployToECS');
    expect(JSON.stringify((deploy as { RoleArn?: unknown }).RoleArn)).toContain(deployRoleArn);
    const key = Object.values(pipelineApp).find((r) => r.Type === 'AWS::KMS::Key')!;
    expect(JSON.stringify(key.Properties.KeyPolicy)).toContain(deployRoleArn);
    const bucketPolicies = Object.values(pipelineApp)
      .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
      .map((r) => JSON.stringify(r.Properties.PolicyDocument));
    expect(bucketPolicies.filter((policy) => policy.includes(deployRoleArn))).toHaveLength(1);
    const pipeline = Object.values(pipelineApp).find(
      (r) => r.Type === 'AWS::CodePipeline::Pipeline',
    )!;
    expect(JSON.stringify(pipeline.Properties.ArtifactStore)).toContain('EncryptionKey');
  });

  it('keeps the one-account layout without a key', () => {
    expect(Object.values(stagingApp).filter((r) => r.Type === 'AWS::KMS::Key')).toEqual([]);
  });
});
