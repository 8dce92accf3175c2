import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as codestarconnections from 'aws-cdk-lib/aws-codestarconnections';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { BUILDSPEC_PATH, IMAGE_PLACEHOLDER } from '@webapp-color/deploy-specs';
import type {
  DeliveryDefinition,
  ReleaseEnvironmentNames,
} from '@webapp-color/deploy-specs/definition';
import { Construct } from 'constructs';
import { acknowledgeBucketGrant, nagLogicalId } from '../nag.js';
import { pinLogicalId } from '../pin.js';
import type { SmokeTestHook } from './smoke-test-hook.js';

export type TrafficShift =
  | { readonly type: 'all-at-once' }
  | {
      readonly type: 'canary' | 'linear';
      readonly percent: number;
      readonly intervalMinutes: number;
    };

export interface DeliveryAlarmThresholds {
  readonly target5xxPerMinute: number;
  readonly unhealthyHosts: number;
  readonly p95LatencySeconds: number;
  readonly evaluationPeriods: number;
}

export interface DeliveryProps {
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
  readonly repository: ecr.IRepository;
  readonly artifactBucket: s3.IBucket;
  readonly service: ecs.FargateService;
  readonly taskFamily: string;
  readonly executionRole: iam.IRole;
  readonly taskRole: iam.IRole;
  readonly logGroup: logs.ILogGroup;
  readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  readonly productionListener: elbv2.IApplicationListener;
  readonly testListener: elbv2.IApplicationListener;
  readonly smokeTest: SmokeTestHook;
  readonly trafficShift: TrafficShift;
  readonly terminationWait: Duration;
  readonly alarms: DeliveryAlarmThresholds;
}

/** The values of the CodeBuild environment variables the release render step reads, by definition key. */
export type ReleaseEnvironmentValues = { readonly [K in keyof ReleaseEnvironmentNames]: string };

/**
 * The release path: the GitHub connection, the CodeBuild project, the
 * CodeDeploy blue/green deployment group with its rollback alarms, and the
 * CodePipeline (V2) Source → Build → Deploy.
 */
export class Delivery extends Construct {
  readonly connectionArn: string;
  readonly connectionCreated: boolean;
  readonly project: codebuild.PipelineProject;
  readonly application: codedeploy.EcsApplication;
  readonly deploymentGroup: codedeploy.EcsDeploymentGroup;
  readonly pipeline: codepipeline.Pipeline;
  readonly alarms: readonly cloudwatch.Alarm[];
  readonly releaseEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const { definition } = props;

    // --- connection -------------------------------------------------------
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

    // --- build ------------------------------------------------------------
    const values: ReleaseEnvironmentValues = {
      imageRepositoryUri: props.repository.repositoryUri,
      taskFamily: props.taskFamily,
      executionRoleArn: props.executionRole.roleArn,
      taskRoleArn: props.taskRole.roleArn,
      logGroupName: props.logGroup.logGroupName,
      afterAllowTestTrafficHook: props.smokeTest.function.functionName,
    };
    const names = definition.releaseEnvironment;
    this.releaseEnvironment = Object.fromEntries(
      (Object.keys(values) as (keyof ReleaseEnvironmentNames)[]).map((key) => [
        names[key],
        values[key],
      ]),
    );

    const buildLogs = new logs.LogGroup(this, 'BuildLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
    });
    this.project = new codebuild.PipelineProject(this, 'Build', {
      description: `Tests, builds and pushes the ${definition.app.name} image and renders the release files`,
      // Build changes ship with the commit: the spec is the committed, generated file.
      buildSpec: codebuild.BuildSpec.fromSourceFilename(BUILDSPEC_PATH),
      environment: {
        buildImage: codebuild.LinuxBuildImage.fromCodeBuildImageId(definition.build.codeBuildImage),
        computeType: computeType(definition.build.computeType),
        // Docker-in-Docker needs it for `docker build`.
        privileged: true,
      },
      environmentVariables: Object.fromEntries(
        Object.entries(this.releaseEnvironment).map(([name, value]) => [
          name,
          { type: codebuild.BuildEnvironmentVariableType.PLAINTEXT, value },
        ]),
      ),
      // Image layers are cached in ECR (the buildspec's buildx registry
      // cache); the local Docker layer cache keeps the BuildKit builder image.
      // No CUSTOM mode: the buildspec declares no cache paths.
      cache: codebuild.Cache.local(codebuild.LocalCacheMode.DOCKER_LAYER),
      logging: { cloudWatch: { logGroup: buildLogs } },
      timeout: Duration.minutes(30),
      queuedTimeout: Duration.hours(1),
    });
    props.repository.grantPullPush(this.project);
    const region = Stack.of(this).region;
    const projectId = nagLogicalId(this.project);
    Validations.of(this.project.role!).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecr:GetAuthorizationToken (docker login) supports no resource-level permission; push and pull are scoped to the one repository.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:codebuild:${region}:<AWS::AccountId>:report-group/<${projectId}>-*]`,
        reason:
          'CDK’s default grant for this project’s own test-report groups (named after the project).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${region}:<AWS::AccountId>:log-group:/aws/codebuild/<${projectId}>:*]`,
        reason:
          'CDK’s default grant for the project’s default log group and its streams; the project logs to its own group.',
      },
    );
    Validations.of(this.project).acknowledge(
      {
        id: 'AwsSolutions-CB3',
        reason:
          'Privileged mode is what CodeBuild requires to run the Docker daemon that builds the image.',
      },
      {
        id: 'AwsSolutions-CB4',
        reason:
          'Artifacts and cache are encrypted with SSE-S3 / the AWS managed key; a customer managed KMS key adds cost without a requirement for it here.',
      },
    );

    // --- deploy -----------------------------------------------------------
    this.application = new codedeploy.EcsApplication(this, 'Application');
    // The group's ApplicationName cannot change in place: a new application
    // would replace the pinned group, and the replacement cannot be created
    // while the old group still holds the service.
    pinLogicalId(this.application, 'CodeDeployApplication');
    this.alarms = this.createAlarms(props);
    this.deploymentGroup = new codedeploy.EcsDeploymentGroup(this, 'DeploymentGroup', {
      application: this.application,
      service: props.service,
      deploymentConfig: this.deploymentConfig(props.trafficShift),
      blueGreenDeploymentConfig: {
        blueTargetGroup: props.blueTargetGroup,
        greenTargetGroup: props.greenTargetGroup,
        listener: props.productionListener,
        testListener: props.testListener,
        terminationWaitTime: props.terminationWait,
      },
      alarms: [...this.alarms],
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    pinLogicalId(this.deploymentGroup, 'DeploymentGroup');
    props.smokeTest.grantHook(this.deploymentGroup);
    // Explicit, so the hook keeps working with AWSCodeDeployRoleForECSLimited,
    // which invokes only functions named CodeDeployHook_* (ours is CDK-named).
    // The full AWSCodeDeployRoleForECS that CDK attaches already allows it.
    props.smokeTest.function.grantInvoke(this.deploymentGroup.role);
    Validations.of(this.deploymentGroup).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS]',
        reason:
          'The AWS managed service-role policy CodeDeploy needs to run ECS blue/green deployments.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${nagLogicalId(props.smokeTest.function)}.Arn>:*]`,
        reason:
          'lambda:InvokeFunction on the hook function and its versions (grantInvoke); no other function.',
      },
    );

    // --- pipeline ---------------------------------------------------------
    this.pipeline = this.createPipeline(props);
  }

  private deploymentConfig(shift: TrafficShift): codedeploy.IEcsDeploymentConfig {
    if (shift.type === 'all-at-once') return codedeploy.EcsDeploymentConfig.ALL_AT_ONCE;
    const predefined: Record<string, codedeploy.IEcsDeploymentConfig> = {
      'canary-10-5': codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_5MINUTES,
      'canary-10-15': codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_15MINUTES,
      'linear-10-1': codedeploy.EcsDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTES,
      'linear-10-3': codedeploy.EcsDeploymentConfig.LINEAR_10PERCENT_EVERY_3MINUTES,
    };
    const known = predefined[`${shift.type}-${shift.percent}-${shift.intervalMinutes}`];
    if (known) return known;
    const routing = {
      interval: Duration.minutes(shift.intervalMinutes),
      percentage: shift.percent,
    };
    return new codedeploy.EcsDeploymentConfig(this, 'DeploymentConfig', {
      trafficRouting:
        shift.type === 'canary'
          ? new codedeploy.TimeBasedCanaryTrafficRouting(routing)
          : new codedeploy.TimeBasedLinearTrafficRouting(routing),
    });
  }

  /**
   * Alarms that roll a deployment back. CodeDeploy swaps which target
   * group serves production on every release, so each alarm watches blue
   * and green together (the idle one reports nothing: FILL → 0).
   */
  private createAlarms(props: DeliveryProps): cloudwatch.Alarm[] {
    const period = Duration.minutes(1);
    const both = (
      label: string,
      combine: (blue: string, green: string) => string,
      metric: (tg: elbv2.ApplicationTargetGroup) => cloudwatch.IMetric,
    ) =>
      new cloudwatch.MathExpression({
        label,
        period,
        expression: combine('FILL(blue, 0)', 'FILL(green, 0)'),
        usingMetrics: {
          blue: metric(props.blueTargetGroup),
          green: metric(props.greenTargetGroup),
        },
      });
    const common = {
      evaluationPeriods: props.alarms.evaluationPeriods,
      datapointsToAlarm: props.alarms.evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    return [
      new cloudwatch.Alarm(this, 'Target5xxAlarm', {
        ...common,
        alarmDescription: 'Target 5xx responses (blue + green): rolls the deployment back',
        threshold: props.alarms.target5xxPerMinute,
        metric: both(
          'Target 5xx',
          (b, g) => `${b} + ${g}`,
          (tg) =>
            tg.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
              period,
              statistic: 'Sum',
            }),
        ),
      }),
      new cloudwatch.Alarm(this, 'UnhealthyHostsAlarm', {
        ...common,
        alarmDescription: 'Unhealthy targets (max of blue, green): rolls the deployment back',
        threshold: props.alarms.unhealthyHosts,
        metric: both(
          'Unhealthy hosts',
          (b, g) => `MAX([${b}, ${g}])`,
          (tg) => tg.metrics.unhealthyHostCount({ period, statistic: 'Maximum' }),
        ),
      }),
      new cloudwatch.Alarm(this, 'LatencyAlarm', {
        ...common,
        alarmDescription:
          'p95 target response time (max of blue, green): rolls the deployment back',
        threshold: props.alarms.p95LatencySeconds,
        metric: both(
          'p95 latency',
          (b, g) => `MAX([${b}, ${g}])`,
          (tg) => tg.metrics.targetResponseTime({ period, statistic: 'p95' }),
        ),
      }),
    ];
  }

  private createPipeline(props: DeliveryProps): codepipeline.Pipeline {
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

    // The deploy action's role is written by hand: CDK's default grants
    // iam:PassRole on "*"; ours passes only the two task roles.
    const deployRole = new iam.Role(this, 'DeployActionRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Pipeline Deploy action: CodeDeployToECS for this deployment group only',
    });
    const group = this.deploymentGroup;
    deployRole.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'codedeploy:GetApplication',
          'codedeploy:GetApplicationRevision',
          'codedeploy:RegisterApplicationRevision',
        ],
        resources: [this.application.applicationArn],
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
        resources: [props.executionRole.roleArn, props.taskRole.roleArn],
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

    const deployAction = new actions.CodeDeployEcsDeployAction({
      actionName: 'BlueGreen',
      deploymentGroup: group,
      taskDefinitionTemplateFile: buildOutput.atPath('taskdef.json'),
      appSpecTemplateFile: buildOutput.atPath('appspec.yaml'),
      // The name inside the placeholder the render step writes as the image (<IMAGE1_NAME>).
      containerImageInputs: [
        { input: buildOutput, taskDefinitionPlaceholder: imagePlaceholderName() },
      ],
      role: deployRole.withoutPolicyUpdates(),
    });

    const pipeline = new codepipeline.Pipeline(this, 'Pipeline', {
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
              project: this.project,
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
      pipeline.role,
      props.artifactBucket,
      'the pipeline moves artifacts between stages',
    );
    acknowledgeBucketGrant(
      sourceRole,
      props.artifactBucket,
      'the source action writes the source artifact',
    );
    acknowledgeBucketGrant(
      this.project.role!,
      props.artifactBucket,
      'the build reads the source and writes its output',
    );
    return pipeline;
  }
}

function computeType(value: DeliveryDefinition['build']['computeType']): codebuild.ComputeType {
  const match = Object.values(codebuild.ComputeType).find((type) => String(type) === value);
  if (match === undefined) {
    throw new Error(
      `Delivery: build.computeType ${value} is not a CodeBuild compute type; allowed: ${Object.values(codebuild.ComputeType).join(', ')}`,
    );
  }
  return match;
}

function imagePlaceholderName(): string {
  const match = /^<([A-Za-z0-9_]+)>$/.exec(IMAGE_PLACEHOLDER);
  if (!match) {
    throw new Error(
      `Delivery: the taskdef image placeholder ${IMAGE_PLACEHOLDER} is not of the form <NAME> CodeDeployToECS replaces`,
    );
  }
  return match[1]!;
}
