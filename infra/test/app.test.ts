/* eslint-disable @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers (expect.objectContaining, expect.any…) are typed any */
import { Match } from 'aws-cdk-lib/assertions';
import { Validations } from 'aws-cdk-lib';
import { readFileSync } from 'node:fs';
import {
  APP_VERSION_VARIABLE,
  BUILDSPEC_PATH,
  EXAMPLE_RELEASE_VALUES,
  parseSource,
  renderRelease,
  releaseTaskDefinition,
  releaseVariableNames,
} from '@webapp-color/deploy-specs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { resourcesOf, stagingConfig, synthesize, unacknowledgedNagFindings } from './support.js';

// Both stacks, synthesized once for the whole file, with the real bootstrap image asset.
const { stacks, app, stateful } = synthesize(stagingConfig, webappColor, {
  realBootstrapImage: true,
});
const { container } = webappColor;
const resources = resourcesOf(app);

function only(type: string): Record<string, unknown> {
  const found = Object.values(resources).filter((r) => r.Type === type);
  expect(found, type).toHaveLength(1);
  return found[0]!.Properties;
}

describe('Service', () => {
  const service = only('AWS::ECS::Service');
  const taskDefinition = only('AWS::ECS::TaskDefinition');
  const family = `myproject-staging-${webappColor.app.name}`;

  it('creates the Fargate service under the CODE_DEPLOY controller in private subnets', () => {
    expect(service).toMatchObject({
      DeploymentController: { Type: 'CODE_DEPLOY' },
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      PlatformVersion: webappColor.task.platformVersion,
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
  });

  it('names its task definition by family only, so CloudFormation never moves it to another revision', () => {
    expect(service.TaskDefinition).toBe(family);
    expect(resources.Service!.DependsOn).toEqual(
      expect.arrayContaining([expect.stringMatching(/BootstrapTaskDefinition/)]),
    );
    expect(taskDefinition.Family).toBe(family);
  });

  it('creates the bootstrap task definition from the delivery definition', () => {
    expect(taskDefinition).toMatchObject({
      Cpu: webappColor.task.cpu,
      Memory: webappColor.task.memory,
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: {
        CpuArchitecture: webappColor.task.cpuArchitecture,
        OperatingSystemFamily: 'LINUX',
      },
    });
    const [definition] = taskDefinition.ContainerDefinitions as Record<string, unknown>[];
    expect(definition).toMatchObject({
      Name: container.name,
      User: container.user,
      ReadonlyRootFilesystem: container.readonlyRootFilesystem,
      LinuxParameters: { InitProcessEnabled: container.initProcessEnabled },
      StopTimeout: container.stopTimeoutSeconds,
      PortMappings: [{ ContainerPort: container.port, Protocol: 'tcp' }],
      Environment: [
        ...Object.entries(container.environment).map(([Name, Value]) => ({ Name, Value })),
        { Name: APP_VERSION_VARIABLE, Value: 'bootstrap' },
      ],
      LogConfiguration: {
        LogDriver: 'awslogs',
        Options: expect.objectContaining({
          'awslogs-stream-prefix': webappColor.logs.streamPrefix,
        }),
      },
      MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
    });
    // The first revision's image is the CDK asset built from the app's Dockerfile at deploy time.
    expect(JSON.stringify(definition!.Image)).toContain('cdk-hnb659fds-container-assets');
    app.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: webappColor.logs.retentionDays,
    });
  });

  it('creates the bootstrap container as the release container CodeDeploy registers, apart from image and version', () => {
    // The first revision must behave like every later one: the same container
    // health check, user, init process, read-only root, stop timeout, ports and
    // settings. Only the image (a CDK asset) and APP_VERSION differ.
    const [release] = releaseTaskDefinition(webappColor, EXAMPLE_RELEASE_VALUES)
      .containerDefinitions as unknown as Record<string, unknown>[];
    const [bootstrap] = taskDefinition.ContainerDefinitions as Record<string, unknown>[];
    const releaseHealth = release!.healthCheck as Record<string, unknown>;
    expect(bootstrap!.HealthCheck).toEqual({
      Command: releaseHealth.command,
      Interval: releaseHealth.interval,
      Timeout: releaseHealth.timeout,
      Retries: releaseHealth.retries,
      StartPeriod: releaseHealth.startPeriod,
    });
    const names = (list: unknown) =>
      (list as { name?: string; Name?: string }[]).map((e) => e.name ?? e.Name).sort();
    expect(names(bootstrap!.Environment)).toEqual(names(release!.environment));
    expect(bootstrap!.Environment).toContainEqual({
      Name: APP_VERSION_VARIABLE,
      Value: 'bootstrap',
    });
    expect(bootstrap).toMatchObject({
      Name: release!.name,
      User: release!.user,
      ReadonlyRootFilesystem: release!.readonlyRootFilesystem,
      StopTimeout: release!.stopTimeout,
      LinuxParameters: { InitProcessEnabled: true },
    });
  });

  it('is consistent from container to target group to listener: one port, one health route', () => {
    expect(service.LoadBalancers).toEqual([
      {
        ContainerName: container.name,
        ContainerPort: container.port,
        TargetGroupArn: { Ref: 'BlueTargetGroup' },
      },
    ]);
    for (const id of ['BlueTargetGroup', 'GreenTargetGroup']) {
      expect(resources[id]!.Properties).toMatchObject({
        Port: container.port,
        HealthCheckPath: container.healthCheckPath,
      });
    }
    expect(resources.ProductionListener!.Properties.DefaultActions).toEqual([
      { Type: 'forward', TargetGroupArn: { Ref: 'BlueTargetGroup' } },
    ]);
    expect(resources.TestListener!.Properties.DefaultActions).toEqual([
      { Type: 'forward', TargetGroupArn: { Ref: 'GreenTargetGroup' } },
    ]);
  });

  it("creates the tasks' own security group, accepting only the ALB on the container port", () => {
    const taskGroups = (
      service.NetworkConfiguration as { AwsvpcConfiguration: { SecurityGroups: unknown[] } }
    ).AwsvpcConfiguration.SecurityGroups;
    expect(taskGroups).toHaveLength(1);
    const taskGroupId = (taskGroups[0] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const ingress = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::EC2::SecurityGroupIngress' &&
        JSON.stringify(r.Properties.GroupId).includes(taskGroupId),
    );
    expect(ingress.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        FromPort: container.port,
        ToPort: container.port,
        IpProtocol: 'tcp',
        SourceSecurityGroupId: {
          'Fn::GetAtt': [expect.stringMatching(/^EdgeLoadBalancerSecurityGroup/), 'GroupId'],
        },
      }),
    ]);
    expect(JSON.stringify(resources[taskGroupId]!.Properties)).not.toContain(
      'SecurityGroupIngress',
    );
  });

  it('creates Container Insights and target-tracking scaling on CPU and on requests per target over blue + green', () => {
    app.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
    app.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 5,
    });
    app.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 50,
      }),
    });
    app.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: 1000,
        CustomizedMetricSpecification: {
          Metrics: [
            Match.objectLike({
              Id: 'blue',
              ReturnData: false,
              MetricStat: Match.objectLike({ Stat: 'Sum' }),
            }),
            Match.objectLike({ Id: 'green', ReturnData: false }),
            Match.objectLike({
              Id: 'requests',
              Expression: 'FILL(blue, 0) + FILL(green, 0)',
              ReturnData: true,
            }),
          ],
        },
      }),
    });
  });
});

describe('Delivery', () => {
  it('creates an immutable, scanned ECR repository with a lifecycle, excluding only the cache tag', () => {
    stateful.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        {
          ImageTagMutabilityExclusionFilterType: 'WILDCARD',
          ImageTagMutabilityExclusionFilterValue: webappColor.build.cacheImageTag,
        },
      ],
      ImageScanningConfiguration: { ScanOnPush: true },
      LifecyclePolicy: {
        LifecyclePolicyText: Match.stringLikeRegexp(
          '"countType":"imageCountMoreThan","countNumber":30',
        ),
      },
    });
    stateful.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('creates the artifact bucket encrypted, TLS-only, private and expiring', () => {
    const bucket = resources.ArtifactBucket!;
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' })],
      },
    });
    app.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: 'ArtifactBucket' },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('creates the GitHub connection (PENDING until the handshake) when none is configured', () => {
    app.hasResourceProperties('AWS::CodeStarConnections::Connection', {
      ConnectionName: 'myproject-staging-github',
      ProviderType: 'GitHub',
    });
    app.hasOutput('ConnectionArn', { Description: Match.stringLikeRegexp('handshake') });
    app.hasOutput('SiteUrl', { Value: 'https://myapp.example.com' });
    app.hasOutput('PipelineConsoleUrl', {});
  });

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
    expect(value('afterAllowTestTrafficHook')).toMatch(/\{"Ref":"SmokeTestFunction/);
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
      Cache: { Type: 'LOCAL', Modes: ['LOCAL_DOCKER_LAYER_CACHE'] },
    });
  });

  it('creates the blue/green deployment group with both listeners, the termination wait and every rollback trigger', () => {
    const group = resources.DeploymentGroup!.Properties;
    expect(group).toMatchObject({
      DeploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
      DeploymentStyle: { DeploymentOption: 'WITH_TRAFFIC_CONTROL', DeploymentType: 'BLUE_GREEN' },
      BlueGreenDeploymentConfiguration: {
        DeploymentReadyOption: { ActionOnTimeout: 'CONTINUE_DEPLOYMENT' },
        TerminateBlueInstancesOnDeploymentSuccess: {
          Action: 'TERMINATE',
          TerminationWaitTimeInMinutes: 5,
        },
      },
      AutoRollbackConfiguration: {
        Enabled: true,
        Events: expect.arrayContaining([
          'DEPLOYMENT_FAILURE',
          'DEPLOYMENT_STOP_ON_REQUEST',
          'DEPLOYMENT_STOP_ON_ALARM',
        ]),
      },
      LoadBalancerInfo: {
        TargetGroupPairInfoList: [
          {
            ProdTrafficRoute: { ListenerArns: [{ Ref: 'ProductionListener' }] },
            TestTrafficRoute: { ListenerArns: [{ Ref: 'TestListener' }] },
            TargetGroups: [
              { Name: { 'Fn::GetAtt': ['BlueTargetGroup', 'TargetGroupName'] } },
              { Name: { 'Fn::GetAtt': ['GreenTargetGroup', 'TargetGroupName'] } },
            ],
          },
        ],
      },
    });
  });

  it('wires the 5xx, unhealthy-host and latency alarms, each over blue and green, to rollback', () => {
    const alarms = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(3);
    const group = resources.DeploymentGroup!.Properties as {
      AlarmConfiguration: { Enabled: boolean; Alarms: { Name: unknown }[] };
    };
    expect(group.AlarmConfiguration.Enabled).toBe(true);
    expect(group.AlarmConfiguration.Alarms.map((a) => JSON.stringify(a.Name)).sort()).toEqual(
      alarms.map(([id]) => JSON.stringify({ Ref: id })).sort(),
    );
    const metricNames = alarms.map(([, alarm]) => {
      const metrics = alarm.Properties.Metrics as {
        MetricStat?: { Metric: { MetricName: string; Dimensions: unknown[] } };
      }[];
      const stats = metrics.filter((m) => m.MetricStat);
      expect(JSON.stringify(stats)).toContain('BlueTargetGroup');
      expect(JSON.stringify(stats)).toContain('GreenTargetGroup');
      return stats[0]!.MetricStat!.Metric.MetricName;
    });
    expect(metricNames.sort()).toEqual([
      'HTTPCode_Target_5XX_Count',
      'TargetResponseTime',
      'UnHealthyHostCount',
    ]);
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
    // One primary artifact whose files sit at its root (discard-paths), which is
    // where CodeDeployToECS looks for the paths and for imageDetail.json.
    expect(buildspec.artifacts['discard-paths']).toBe('yes');
    expect(buildspec.artifacts['secondary-artifacts']).toBeUndefined();
    expect(buildspec.artifacts.files).toEqual(
      expect.arrayContaining([
        'imageDetail.json',
        deploy.TaskDefinitionTemplatePath,
        deploy.AppSpecTemplatePath,
      ]),
    );
    expect(only('AWS::CodeBuild::Project').Source).toMatchObject({ BuildSpec: BUILDSPEC_PATH });
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
    expect(passRole[0]!.Resource).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^ServiceExecutionRole/), 'Arn'] },
      { 'Fn::GetAtt': [expect.stringMatching(/^ServiceTaskRole/), 'Arn'] },
    ]);
  });

  it('creates the smoke-test hook: Node 22, bundled, in the VPC, reporting to its own deployment group only', () => {
    const fn = Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        JSON.stringify(r.Properties).includes('LOAD_BALANCER_ENI_DESCRIPTION'),
    )!.Properties;
    expect(fn).toMatchObject({
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Environment: {
        Variables: expect.objectContaining({
          TEST_LISTENER_PORT: '9000',
          HEALTH_PATH: container.healthCheckPath,
          CONTAINER_NAME: container.name,
          VERSION_VARIABLE: 'APP_VERSION',
          SITE_HOST: 'myapp.example.com',
        }),
      },
      VpcConfig: expect.objectContaining({ SubnetIds: expect.any(Array) }),
    });
    app.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['codedeploy:GetDeployment', 'codedeploy:PutLifecycleEventHookExecutionStatus'],
            Resource: Match.objectLike({
              'Fn::Join': Match.arrayWith([Match.arrayWith([{ Ref: 'DeploymentGroup' }])]),
            }),
          }),
        ]),
      },
    });
  });
});

describe('IAM', () => {
  // Deny statements may (and should) use wildcards: the TLS-only bucket policies deny s3:*.
  it('grants no wildcard action ("*" or "service:*") in any policy of any template', () => {
    const offenders: string[] = [];
    for (const [name, template] of [
      ['app', app],
      ['stateful', stateful],
    ] as const) {
      const all = resourcesOf(template);
      for (const [id, resource] of Object.entries(all)) {
        const documents: unknown[] = [];
        const props: Record<string, unknown> = resource.Properties ?? {};
        if (props.PolicyDocument) documents.push(props.PolicyDocument);
        if (props.AssumeRolePolicyDocument) documents.push(props.AssumeRolePolicyDocument);
        for (const policy of (props.Policies as { PolicyDocument: unknown }[] | undefined) ?? [])
          documents.push(policy.PolicyDocument);
        if (props.RepositoryPolicyText) documents.push(props.RepositoryPolicyText);
        for (const document of documents) {
          for (const statement of (
            document as {
              Statement: { Effect: string; Action?: string | string[]; NotAction?: unknown }[];
            }
          ).Statement) {
            if (statement.Effect !== 'Allow') continue;
            if (statement.NotAction) offenders.push(`${name}/${id}: NotAction`);
            for (const action of [statement.Action ?? []].flat()) {
              if (action === '*' || /^[a-z0-9-]+:\*$/i.test(action))
                offenders.push(`${name}/${id}: ${action}`);
            }
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('stateful resources', () => {
  it('pins the logical ids of the resources whose replacement would lose data or break CodeDeploy', () => {
    expect(resourcesOf(stateful).ImageRepository?.Type).toBe('AWS::ECR::Repository');
    const pinned = {
      ArtifactBucket: 'AWS::S3::Bucket',
      AccessLogsBucket: 'AWS::S3::Bucket',
      AppLogGroup: 'AWS::Logs::LogGroup',
      Service: 'AWS::ECS::Service',
      BlueTargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      GreenTargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      ProductionListener: 'AWS::ElasticLoadBalancingV2::Listener',
      TestListener: 'AWS::ElasticLoadBalancingV2::Listener',
      DeploymentGroup: 'AWS::CodeDeploy::DeploymentGroup',
      // The parents whose replacement would replace the two above.
      Cluster: 'AWS::ECS::Cluster',
      CodeDeployApplication: 'AWS::CodeDeploy::Application',
      // A replacement is PENDING until the console handshake is done again.
      GitHubConnection: 'AWS::CodeStarConnections::Connection',
    };
    for (const [id, type] of Object.entries(pinned)) expect(resources[id]?.Type, id).toBe(type);
    for (const id of ['ArtifactBucket', 'AccessLogsBucket', 'AppLogGroup']) {
      app.templateMatches({ Resources: { [id]: { DeletionPolicy: 'Retain' } } });
    }
  });
});

describe('cdk-nag', () => {
  it('finds nothing unacknowledged with AwsSolutionsChecks', () => {
    expect(unacknowledgedNagFindings(stacks)).toEqual([]);
  });

  it('gives every acknowledgement a reason', () => {
    const acknowledgements = [stacks.app, stacks.stateful].flatMap((stack) =>
      stack.node
        .findAll()
        .flatMap((c) =>
          c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
        )
        .flatMap((m) => Object.entries(m.data as Record<string, unknown>)),
    );
    expect(acknowledgements.length).toBeGreaterThan(10);
    for (const [id, reason] of acknowledgements) {
      const text = typeof reason === 'string' ? reason : JSON.stringify(reason);
      expect(text.length, id).toBeGreaterThan(30);
    }
  });
});
