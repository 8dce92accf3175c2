/* eslint-disable @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers (expect.objectContaining, expect.any…) are typed any */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  APP_VERSION_VARIABLE,
  EXAMPLE_RELEASE_VALUES,
  releaseTaskDefinition,
} from '@webapp-color/deploy-specs';
import { webappColor, type DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { Service } from '../lib/constructs/service.js';
import {
  BLUE_TARGET_GROUP_ARN,
  constructStack,
  importedRepository,
  importedTargetGroups,
  importedVpc,
  LOAD_BALANCER_SECURITY_GROUP_ID,
  REGION,
} from './stand-ins.js';
import { onlyResource, resourcesOf } from './support.js';

const family = `myproject-staging-${webappColor.app.name}`;
const BOOTSTRAP_IMAGE = 'public.ecr.aws/docker/library/busybox:stable';

// The service in a stack of its own, on an imported VPC, repository, load
// balancer security group and target groups, with the staging counts.
function build(definition: DeliveryDefinition = webappColor): Template {
  const stack = constructStack();
  new Service(stack, 'Service', {
    vpc: importedVpc(stack),
    definition,
    taskFamily: family,
    bootstrapImage: ecs.ContainerImage.fromRegistry(BOOTSTRAP_IMAGE),
    repository: importedRepository(stack),
    loadBalancerSecurityGroup: ec2.SecurityGroup.fromSecurityGroupId(
      stack,
      'LoadBalancerSecurityGroup',
      LOAD_BALANCER_SECURITY_GROUP_ID,
    ),
    ...importedTargetGroups(stack),
    minCount: 2,
    maxCount: 5,
    cpuTargetPercent: 50,
    requestsPerTargetPerMinute: 1000,
  });
  return Template.fromStack(stack);
}

const app = build();
const resources = resourcesOf(app);
const only = (type: string) => onlyResource(resources, type);
const { container } = webappColor;

describe('Service', () => {
  const service = only('AWS::ECS::Service');
  const taskDefinition = only('AWS::ECS::TaskDefinition');

  it('creates the Fargate service under the CODE_DEPLOY controller in private subnets', () => {
    expect(service).toMatchObject({
      DeploymentController: { Type: 'CODE_DEPLOY' },
      LaunchType: 'FARGATE',
      // A constant: each release's AppSpec carries the definition's (service-shape.test.ts).
      PlatformVersion: 'LATEST',
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
    });
    // Configuration must not reach the CODE_DEPLOY service (see app.test.ts).
    expect(service).not.toHaveProperty('DesiredCount');
    expect(service).not.toHaveProperty('Tags');
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
    });
    // The image it is given (in the app: the CDK asset of the app's Dockerfile, app.test.ts).
    expect(definition!.Image).toBe(BOOTSTRAP_IMAGE);
    app.hasResourceProperties('AWS::Logs::LogGroup', {
      RetentionInDays: webappColor.logs.retentionDays,
    });
  });

  it('creates the bootstrap revision as every release, every task and container field alike but image and version', () => {
    // Both come from deploy-specs' taskDefinitionFor. Compare whole documents:
    // the template's (PascalCase) against the release's taskdef.json, with
    // only the values that differ by nature set aside: the image, APP_VERSION
    // and the references to the deployed roles, log group and region.
    const camel = (value: unknown, keepKeys = false): unknown => {
      if (Array.isArray(value)) return value.map((item) => camel(item));
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([key, member]) => [
          keepKeys ? key : key.charAt(0).toLowerCase() + key.slice(1),
          camel(member, key === 'Options' || key === 'options'),
        ]),
      );
    };
    const setAside = (document: Record<string, unknown>) => {
      const copy = structuredClone(document) as {
        family?: unknown;
        taskRoleArn?: unknown;
        executionRoleArn?: unknown;
        tags?: unknown;
        containerDefinitions: {
          image?: unknown;
          environment: { name: string; value: unknown }[];
          logConfiguration: { options: Record<string, unknown> };
        }[];
      };
      delete copy.tags;
      copy.family = copy.taskRoleArn = copy.executionRoleArn = '(instance)';
      for (const c of copy.containerDefinitions) {
        c.image = '(image)';
        for (const variable of c.environment) {
          if (variable.name === APP_VERSION_VARIABLE) variable.value = '(version)';
        }
        c.logConfiguration.options['awslogs-group'] = '(instance)';
        c.logConfiguration.options['awslogs-region'] = '(instance)';
      }
      return copy;
    };
    const release = releaseTaskDefinition(webappColor, EXAMPLE_RELEASE_VALUES);
    const bootstrap = camel(taskDefinition) as Record<string, unknown>;
    expect(setAside(bootstrap)).toEqual(setAside(release as unknown as Record<string, unknown>));
    // And what was set aside is what it should be.
    const [first] = taskDefinition.ContainerDefinitions as {
      Environment: { Name: string; Value: string }[];
      LogConfiguration: { Options: Record<string, unknown> };
    }[];
    expect(first!.Environment).toContainEqual({ Name: APP_VERSION_VARIABLE, Value: 'bootstrap' });
    expect(first!.LogConfiguration.Options).toMatchObject({
      'awslogs-group': { Ref: 'AppLogGroup' },
      'awslogs-region': REGION,
    });
    // No writable volume in either: the app runs on a read-only root with no
    // writable /tmp (packages/rehearse/test/container.test.ts), as every release always did.
    expect(taskDefinition).not.toHaveProperty('Volumes');
    expect(first).not.toHaveProperty('MountPoints');
  });

  it('attaches the container port to the blue target group', () => {
    expect(service.LoadBalancers).toEqual([
      {
        ContainerName: container.name,
        ContainerPort: container.port,
        TargetGroupArn: BLUE_TARGET_GROUP_ARN,
      },
    ]);
    // The target groups' port and health route: app.test.ts.
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
        SourceSecurityGroupId: LOAD_BALANCER_SECURITY_GROUP_ID,
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

  it('creates a task of a larger Fargate size', () => {
    const larger = { ...webappColor, task: { ...webappColor.task, cpu: '2048', memory: '8192' } };
    build(larger).hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '2048',
      Memory: '8192',
    });
  });
});
