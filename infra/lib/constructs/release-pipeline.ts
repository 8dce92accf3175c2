import { ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as codestarconnections from 'aws-cdk-lib/aws-codestarconnections';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { IMAGE_PLACEHOLDER, SHIP_BUNDLE } from '@webapp-color/deploy-specs';
import {
  SHIP_API_CALLS,
  SHIP_ASSUME_ROLE_CALL,
  SHIP_IMPLIED_PERMISSIONS,
  SHIP_ROLE_VARIABLE,
  type ShipScope,
} from '@webapp-color/ship/api-calls';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { Construct } from 'constructs';
import { acknowledgeBucketGrant, codeBuildDefaultGrants, nagLogicalId } from '../nag.js';

export interface ReleasePipelineProps {
  readonly definition: DeliveryDefinition;
  /** Name prefix of the connection (`<prefix>-<env>`). */
  readonly namePrefix: string;
  readonly source: {
    readonly owner: string;
    readonly repo: string;
    readonly branch: string;
    /** An existing connection; when absent one is created (PENDING until the console handshake). */
    readonly connectionArn?: string;
  };
  readonly project: codebuild.IProject;
  /** What the Deploy stage drives: CodeDeployToECS, or the ship program on ECS's own controller. */
  readonly deploy: CodeDeployStage | EcsDeployStage;
  readonly artifactBucket: s3.IBucket;
  /** The only roles the deploy action may pass (to ECS tasks). */
  readonly executionRole: iam.IRole;
  readonly taskRole: iam.IRole;
  /**
   * The environments the build is promoted to after this one's Deploy
   * stage, in order: each gets an approval stage and a Deploy stage fed by
   * the same build output. @default none
   */
  readonly promotions?: readonly Promotion[];
}

/** The task roles a release's task definition names (the only roles a Deploy action may pass). */
export interface TaskRoleArns {
  readonly executionRoleArn: string;
  readonly taskRoleArn: string;
}

/**
 * One promotion: the approval, the conditions on entering the environment's
 * Deploy stage, and that stage's action (the environment's own controller).
 */
export interface Promotion {
  /** The environment's name: its stages are Approve-<env> and Deploy-<env>. */
  readonly environment: string;
  readonly approval: {
    /** Minutes before an unanswered approval fails the run. */
    readonly timeoutMinutes: number;
    /** Where the approval request is published (the notifications topic). */
    readonly topic: sns.ITopic;
    /**
     * The reviewer's message, given the source action's variables (they
     * resolve when the approval is asked for).
     */
    readonly message: (source: {
      readonly commitId: string;
      readonly commitMessage: string;
    }) => string;
    /** What the reviewer should look at (the previous environment's site). */
    readonly externalEntityLink?: string;
  };
  /** The previous environment's rollback alarms: none may be in ALARM (rule CloudWatchAlarm). */
  readonly gateAlarms: readonly cloudwatch.IAlarm[];
  /** The deployment window (rule DeploymentWindow). @default always open */
  readonly window?: { readonly cron: string; readonly timeZone: string };
  readonly deploy: PromotedCodeDeployStage | PromotedEcsStage;
}

/** A promoted environment on `codedeploy`: CodeDeployToECS on its deployment group, by name. */
export interface PromotedCodeDeployStage {
  readonly controller: 'codedeploy';
  readonly application: codedeploy.IEcsApplication;
  readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
  readonly roles: TaskRoleArns;
  /**
   * The action's role in the environment's own account (a fixed name it
   * trusts this account with); @default a role in this stack
   */
  readonly crossAccountRole?: iam.IRole;
}

/** A promoted environment on `ecs`: the ship program in a CodeBuild action of this pipeline. */
export interface PromotedEcsStage {
  readonly controller: 'ecs';
  readonly region: string;
  /** Its account; a token (this stack's account) when it is the same. */
  readonly account: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly taskFamily: string;
  readonly roles: TaskRoleArns;
  readonly timeout: Duration;
  /**
   * In another account: the role there that the ship program assumes
   * (SHIP_ROLE_ARN); the Deploy action's own role may then only assume it.
   * @default the action's role makes the ECS calls itself
   */
  readonly assumeRoleArn?: string;
}

/** The Deploy stage of an environment on `codedeploy`: CodePipeline's CodeDeployToECS action. */
export interface CodeDeployStage {
  readonly controller: 'codedeploy';
  readonly application: codedeploy.IEcsApplication;
  readonly deploymentGroup: codedeploy.IEcsDeploymentGroup;
}

/**
 * The Deploy stage of an environment on `ecs`: a CodeBuild action that runs
 * the ship program from the build output (infra/docs/deployments.md, "The ecs
 * Deploy stage").
 */
export interface EcsDeployStage {
  readonly controller: 'ecs';
  readonly cluster: ecs.ICluster;
  readonly service: ecs.IBaseService;
  /** The task-definition family the release registers revisions in. */
  readonly taskFamily: string;
  /** The action's timeout: the deployment's own time and a margin (config/ecs-deployment.ts). */
  readonly timeout: Duration;
}

/** The longest action configuration value CodePipeline takes (API reference, ActionConfigurationValue). */
export const APPROVAL_MESSAGE_MAX = 1000;

/** The name inside the image placeholder the render step writes (<IMAGE1_NAME> → IMAGE1_NAME). */
const IMAGE_PLACEHOLDER_NAME = IMAGE_PLACEHOLDER.slice(1, -1);

/**
 * The GitHub connection and the CodePipeline (V2) Source → Build → Deploy
 * that ships every push to the branch. Deploy is CodeDeployToECS under
 * `codedeploy`, and under `ecs` a CodeBuild action running the ship
 * program, which registers the release's full task definition and follows
 * ECS's own deployment.
 */
export class ReleasePipeline extends Construct {
  readonly connectionArn: string;
  readonly connectionCreated: boolean;
  readonly pipeline: codepipeline.Pipeline;
  /** Under `ecs`: the CodeBuild project of the Deploy stage. */
  readonly shipProject?: codebuild.PipelineProject;

  constructor(scope: Construct, id: string, props: ReleasePipelineProps) {
    super(scope, id);
    if (props.source.connectionArn) {
      this.connectionArn = props.source.connectionArn;
      this.connectionCreated = false;
    } else {
      const connection = new codestarconnections.CfnConnection(this, 'GitHubConnection', {
        connectionName: `${props.namePrefix}-github`.slice(0, 32),
        providerType: 'GitHub',
      });
      // Its AVAILABLE state is the console handshake: a replacement would be
      // PENDING again and stop every release until someone repeats it.
      connection.overrideLogicalId('GitHubConnection');
      this.connectionArn = connection.attrConnectionArn;
      this.connectionCreated = true;
    }

    const sourceOutput = new codepipeline.Artifact('Source');
    const buildOutput = new codepipeline.Artifact('Build');

    const sourceRole = new iam.Role(this, 'SourceActionRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Pipeline Source action: uses the GitHub connection, writes the source artifact',
    });
    // CDK grants codestar-connections:UseConnection; a connection made as
    // AWS::CodeConnections (arn:…:codeconnections:…) is also used by that name.
    sourceRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['codeconnections:UseConnection'],
        resources: [this.connectionArn],
      }),
    );
    const sourceAction = new actions.CodeStarConnectionsSourceAction({
      actionName: 'GitHub',
      connectionArn: this.connectionArn,
      owner: props.source.owner,
      repo: props.source.repo,
      branch: props.source.branch,
      output: sourceOutput,
      role: sourceRole,
    });

    const deployAction =
      props.deploy.controller === 'codedeploy'
        ? new actions.CodeDeployEcsDeployAction({
            actionName: 'BlueGreen',
            deploymentGroup: props.deploy.deploymentGroup,
            taskDefinitionTemplateFile: buildOutput.atPath('taskdef.json'),
            appSpecTemplateFile: buildOutput.atPath('appspec.yaml'),
            containerImageInputs: [
              { input: buildOutput, taskDefinitionPlaceholder: IMAGE_PLACEHOLDER_NAME },
            ],
            role: this.deployRole(props, props.deploy).withoutPolicyUpdates(),
          })
        : new actions.CodeBuildAction({
            actionName: 'BlueGreen',
            project: (this.shipProject = this.shipProjectOf(props, {
              id: 'Ship',
              clusterName: props.deploy.cluster.clusterName,
              serviceName: props.deploy.service.serviceName,
              serviceArn: props.deploy.service.serviceArn,
              region: Stack.of(this).region,
              account: Stack.of(this).account,
              taskFamily: props.deploy.taskFamily,
              roles: {
                executionRoleArn: props.executionRole.roleArn,
                taskRoleArn: props.taskRole.roleArn,
              },
              timeout: props.deploy.timeout,
              releaseDirectory: '.',
              nagNames: {
                cluster: `<${nagLogicalId(props.deploy.cluster)}>`,
                service: `<${nagLogicalId(props.deploy.service)}.Name>`,
              },
            })),
            input: buildOutput,
          });

    this.pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
      pipelineType: codepipeline.PipelineType.V2,
      executionMode: codepipeline.ExecutionMode.QUEUED,
      artifactBucket: props.artifactBucket,
      restartExecutionOnUpdate: false,
      stages: [
        { stageName: 'Source', actions: [sourceAction] },
        {
          stageName: 'Build',
          actions: [
            new actions.CodeBuildAction({
              actionName: 'TestBuildRender',
              project: props.project,
              input: sourceOutput,
              outputs: [buildOutput],
              // The commit of this run, from the source action: CodeBuild's
              // CODEBUILD_RESOLVED_SOURCE_VERSION may be unavailable for
              // pipeline builds. It tags the image and becomes APP_VERSION.
              environmentVariables: {
                [props.definition.build.sourceCommitVariable]: {
                  type: codebuild.BuildEnvironmentVariableType.PLAINTEXT,
                  value: sourceAction.variables.commitId,
                },
              },
            }),
          ],
        },
        { stageName: 'Deploy', actions: [deployAction] },
        ...(props.promotions ?? []).flatMap((promotion) =>
          this.promotionStages(props, promotion, buildOutput, sourceAction),
        ),
      ],
      triggers: [
        {
          providerType: codepipeline.ProviderType.CODE_STAR_SOURCE_CONNECTION,
          gitConfiguration: {
            sourceAction,
            pushFilter: [{ branchesIncludes: [props.source.branch] }],
          },
        },
      ],
    });
    acknowledgeBucketGrant(
      this.pipeline.role,
      props.artifactBucket,
      'the pipeline moves artifacts between stages',
    );
    // The CloudWatchAlarm rules run with the pipeline's role.
    const gateAlarms = (props.promotions ?? []).flatMap((promotion) => promotion.gateAlarms);
    if (gateAlarms.length > 0) {
      this.pipeline.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['cloudwatch:DescribeAlarms'],
          resources: gateAlarms.map((alarm) => alarm.alarmArn),
        }),
      );
    }
    acknowledgeBucketGrant(
      sourceRole,
      props.artifactBucket,
      'the source action writes the source artifact',
    );
    if (props.project.role) {
      acknowledgeBucketGrant(
        props.project.role,
        props.artifactBucket,
        'the build reads the source and writes its output',
      );
    }
  }

  /**
   * The deploy action's role, written by hand: CDK's default grants
   * iam:PassRole on "*"; this one passes only the two task roles.
   */
  private deployRole(
    props: ReleasePipelineProps,
    deploy: Pick<CodeDeployStage, 'application' | 'deploymentGroup'>,
    roles: TaskRoleArns = {
      executionRoleArn: props.executionRole.roleArn,
      taskRoleArn: props.taskRole.roleArn,
    },
    id = 'DeployActionRole',
  ): iam.Role {
    const deployRole = new iam.Role(this, id, {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Pipeline Deploy action: CodeDeployToECS for this deployment group only',
    });
    const group = deploy.deploymentGroup;
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'codedeploy:GetApplication',
          'codedeploy:GetApplicationRevision',
          'codedeploy:RegisterApplicationRevision',
        ],
        resources: [deploy.application.applicationArn],
      }),
    );
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment'],
        resources: [group.deploymentGroupArn],
      }),
    );
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['codedeploy:GetDeploymentConfig'],
        resources: [group.deploymentConfig.deploymentConfigArn],
      }),
    );
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'RegisterReleaseTaskDefinition',
        actions: ['ecs:RegisterTaskDefinition'],
        // RegisterTaskDefinition supports no resource-level permission.
        resources: ['*'],
      }),
    );
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PassOnlyTheTaskRoles',
        actions: ['iam:PassRole'],
        resources: [roles.executionRoleArn, roles.taskRoleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    props.artifactBucket.grantRead(deployRole);
    acknowledgeBucketGrant(deployRole, props.artifactBucket, 'reads the build output');
    Validations.of(deployRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecs:RegisterTaskDefinition supports no resource-level permission; iam:PassRole is limited to the two task roles.',
    });
    return deployRole;
  }

  /**
   * The approval stage and the Deploy stage of one promoted environment.
   * The approval (Approve-<env>) waits for a person; entering
   * Deploy-<env> then needs no alarm of the previous environment in ALARM
   * and, when configured, the deployment window open: checked when the
   * deployment would start, not when the approval was asked for. Two
   * conditions, not one: CodePipeline does not check a CloudWatchAlarm rule
   * again once a DeploymentWindow rule of the same condition opened.
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-CloudWatchAlarm.html
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html
   * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html
   */
  private promotionStages(
    props: ReleasePipelineProps,
    promotion: Promotion,
    buildOutput: codepipeline.Artifact,
    source: actions.CodeStarConnectionsSourceAction,
  ): codepipeline.StageProps[] {
    const env = promotion.environment;
    const id = env.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) =>
      letter.toUpperCase(),
    );
    const message = promotion.approval.message({
      commitId: source.variables.commitId,
      commitMessage: source.variables.commitMessage,
    });
    // An action configuration value is at most 1000 characters
    // (ActionConfigurationValue, CodePipeline API reference).
    if (message.length > APPROVAL_MESSAGE_MAX) {
      throw new Error(
        `ReleasePipeline: the approval message of ${env} is ${message.length} characters, over the ${APPROVAL_MESSAGE_MAX} CodePipeline takes in an action configuration value`,
      );
    }
    const approve = new actions.ManualApprovalAction({
      actionName: 'Approve',
      notificationTopic: promotion.approval.topic,
      additionalInformation: message,
      externalEntityLink: promotion.approval.externalEntityLink,
      timeout: Duration.minutes(promotion.approval.timeoutMinutes),
    });
    const deploy = promotion.deploy;
    const dir = env;
    let action: codepipeline.IAction;
    if (deploy.controller === 'codedeploy') {
      action = new actions.CodeDeployEcsDeployAction({
        actionName: 'BlueGreen',
        deploymentGroup: deploy.deploymentGroup,
        // Its taskdef.json names the image by digest already: CodeDeployToECS
        // reads imageDetail.json only at the artifact's root (the first
        // environment's), so this action takes no image input.
        taskDefinitionTemplateFile: buildOutput.atPath(`${dir}/taskdef.json`),
        appSpecTemplateFile: buildOutput.atPath(`${dir}/appspec.yaml`),
        role:
          deploy.crossAccountRole ??
          this.deployRole(
            props,
            deploy,
            deploy.roles,
            `${id}DeployActionRole`,
          ).withoutPolicyUpdates(),
      });
    } else {
      const stack = Stack.of(this);
      action = new actions.CodeBuildAction({
        actionName: 'BlueGreen',
        project: this.shipProjectOf(props, {
          id: `${id}Ship`,
          clusterName: deploy.clusterName,
          serviceName: deploy.serviceName,
          serviceArn: stack.formatArn({
            service: 'ecs',
            region: deploy.region,
            account: deploy.account,
            resource: 'service',
            resourceName: `${deploy.clusterName}/${deploy.serviceName}`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
          region: deploy.region,
          account: deploy.account,
          taskFamily: deploy.taskFamily,
          roles: deploy.roles,
          timeout: deploy.timeout,
          assumeRoleArn: deploy.assumeRoleArn,
          releaseDirectory: dir,
          nagNames: { cluster: deploy.clusterName, service: deploy.serviceName },
        }),
        input: buildOutput,
      });
    }
    const alarmRules = promotion.gateAlarms.map(
      (alarm, index) =>
        new codepipeline.Rule({
          name: `${id}NoAlarm${index + 1}`,
          provider: 'CloudWatchAlarm',
          version: '1',
          configuration: { AlarmName: alarm.alarmName, AlarmStates: 'ALARM' },
        }),
    );
    const conditions: codepipeline.Condition[] = [];
    if (alarmRules.length > 0)
      conditions.push({ result: codepipeline.Result.FAIL, rules: alarmRules });
    if (promotion.window)
      conditions.push({
        result: codepipeline.Result.FAIL,
        rules: [
          new codepipeline.Rule({
            name: `${id}Window`,
            provider: 'DeploymentWindow',
            version: '1',
            configuration: { Cron: promotion.window.cron, TimeZone: promotion.window.timeZone },
          }),
        ],
      });
    return [
      { stageName: `Approve-${env}`, actions: [approve] },
      {
        stageName: `Deploy-${env}`,
        actions: [action],
        ...(conditions.length > 0 ? { beforeEntry: { conditions } } : {}),
      },
    ];
  }

  /**
   * A Deploy stage's CodeBuild project under `ecs`: runs the ship program
   * from the build output (`node ship.mjs`, no install), with a role written
   * from the program's own list of calls (@webapp-color/ship/api-calls) and a
   * timeout derived from the environment's deployment.
   */
  private shipProjectOf(
    props: ReleasePipelineProps,
    target: ShipTarget,
  ): codebuild.PipelineProject {
    const stack = Stack.of(this);
    const { definition } = props;
    const role = new iam.Role(this, `${target.id}Role`, {
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description:
        'Pipeline Deploy action (ecs): registers the release task definition and deploys it to this service only',
    });
    const inService = (resource: string) =>
      stack.formatArn({
        service: 'ecs',
        region: target.region,
        account: target.account,
        resource,
        resourceName: `${target.clusterName}/${target.serviceName}/*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const scopes: Record<ShipScope, Omit<iam.PolicyStatementProps, 'actions'>> = {
      service: { resources: [target.serviceArn] },
      serviceDeployments: { resources: [inService('service-deployment')] },
      serviceRevisions: { resources: [inService('service-revision')] },
      // RegisterTaskDefinition and DescribeTaskDefinition support no resource-level permission.
      any: { resources: ['*'] },
      taskDefinitionFamily: {
        resources: [
          stack.formatArn({
            service: 'ecs',
            region: target.region,
            account: target.account,
            resource: 'task-definition',
            resourceName: `${target.taskFamily}:*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      },
      taskRoles: { resources: [target.roles.executionRoleArn, target.roles.taskRoleArn] },
    };
    if (target.assumeRoleArn !== undefined) {
      // Every ECS call runs as the environment's own deploy role, in its account.
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: [SHIP_ASSUME_ROLE_CALL.action],
          resources: [target.assumeRoleArn],
        }),
      );
    } else {
      for (const statement of shipStatements(scopes)) role.addToPolicy(statement);
    }

    const logGroup = new logs.LogGroup(this, `${target.id}Logs`, {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    const ship =
      target.releaseDirectory === '.'
        ? `node ${SHIP_BUNDLE.name} --release-dir .`
        : `node ${target.releaseDirectory}/${SHIP_BUNDLE.name} --release-dir ${target.releaseDirectory}`;
    const project = new codebuild.PipelineProject(this, target.id, {
      description: `Deploys a release of ${definition.app.name} with ECS's own blue/green and follows it to its end`,
      role,
      buildSpec: codebuild.BuildSpec.fromObject({
        version: '0.2',
        phases: {
          install: { 'runtime-versions': { nodejs: definition.build.nodejsRuntime } },
          build: { commands: [ship] },
        },
      }),
      environment: {
        buildImage: codebuild.LinuxBuildImage.fromCodeBuildImageId(definition.build.codeBuildImage),
        computeType: codebuild.ComputeType.SMALL,
      },
      environmentVariables: {
        ECS_CLUSTER: { value: target.clusterName },
        ECS_SERVICE: { value: target.serviceName },
        // The ship program's ECS client: the service's region, not the build's.
        ...(target.region === stack.region ? {} : { AWS_REGION: { value: target.region } }),
        ...(target.assumeRoleArn === undefined
          ? {}
          : { [SHIP_ROLE_VARIABLE]: { value: target.assumeRoleArn } }),
      },
      logging: { cloudWatch: { logGroup } },
      timeout: target.timeout,
      queuedTimeout: Duration.hours(1),
    });
    props.artifactBucket.grantRead(role);
    acknowledgeBucketGrant(role, props.artifactBucket, 'the Deploy action reads the build output');
    const region = stack.region;
    const nagRegion = Token.isUnresolved(target.region) ? region : target.region;
    const nagAccount = Token.isUnresolved(target.account) ? '<AWS::AccountId>' : target.account;
    const serviceArnPattern = (resource: string) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${nagRegion}:${nagAccount}:${resource}/${target.nagNames.cluster}/${target.nagNames.service}/*]`;
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecs:RegisterTaskDefinition and ecs:DescribeTaskDefinition support no resource-level permission (Service Authorization Reference); iam:PassRole is limited to the two task roles.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${nagRegion}:${nagAccount}:task-definition/${target.taskFamily}:*]`,
        reason:
          'ecs:TagResource on the revisions of the one task-definition family, only as part of RegisterTaskDefinition (ecs:CreateAction); revision numbers are made by ECS.',
      },
      {
        id: serviceArnPattern('service-deployment'),
        reason:
          'ecs:DescribeServiceDeployments on the deployments of this one service, whose ids ECS makes up per deployment.',
      },
      {
        id: serviceArnPattern('service-revision'),
        reason:
          'ecs:DescribeServiceRevisions on the revisions of this one service, whose ids ECS makes up per revision.',
      },
      ...codeBuildDefaultGrants(project),
    );
    Validations.of(project).acknowledge({
      id: 'AwsSolutions-CB4',
      reason:
        'The project writes no artifact; its logs are in CloudWatch. A customer managed KMS key adds cost without a requirement for it here.',
    });
    return project;
  }
}

/**
 * The ship program's permissions, one statement per resource scope, from
 * its own list of calls (@webapp-color/ship/api-calls) and what they imply.
 */
export function shipStatements(
  scopes: Record<ShipScope, Omit<iam.PolicyStatementProps, 'actions'>>,
): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  for (const scope of Object.keys(scopes) as ShipScope[]) {
    const calls = SHIP_API_CALLS.filter((call) => call.scope === scope).map((call) => call.action);
    if (calls.length > 0)
      statements.push(new iam.PolicyStatement({ actions: calls, ...scopes[scope] }));
  }
  for (const implied of SHIP_IMPLIED_PERMISSIONS) {
    statements.push(
      new iam.PolicyStatement({
        actions: [implied.action],
        ...scopes[implied.scope],
        conditions: implied.condition,
      }),
    );
  }
  return statements;
}

/** Where a ship project deploys: the service, its task family and roles, and the release folder. */
interface ShipTarget {
  /** The project's construct id (Ship for the pipeline's own environment). */
  readonly id: string;
  readonly clusterName: string;
  readonly serviceName: string;
  readonly serviceArn: string;
  readonly region: string;
  readonly account: string;
  readonly taskFamily: string;
  readonly roles: TaskRoleArns;
  readonly timeout: Duration;
  /** A role in another account the program assumes for every ECS call. */
  readonly assumeRoleArn?: string;
  /** The release files' folder in the build output ('.' for the pipeline's own environment). */
  readonly releaseDirectory: string;
  /** How cdk-nag writes the cluster and service names in a resource (a reference or the name). */
  readonly nagNames: { readonly cluster: string; readonly service: string };
}
