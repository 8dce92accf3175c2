// What only the composed app shows: stability across synths, the IAM scan and
// cdk-nag over both stacks, one Node.js for every function, the validation of
// the delivery definition at the boundary, the outputs, and the wiring between
// the constructs. Each construct's own resources are tested in a stack of its
// own, with imported stand-ins (<construct>.test.ts).
import { Validations, type App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { BUILDSPEC_PATH } from '@webapp-color/deploy-specs';
import { webappColor, type DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import type { InfraConfigInput } from '../config/index.js';
import {
  configWith,
  onlyResource,
  resourcesOf,
  stagingConfig,
  synthesize,
  unacknowledgedNagFindings,
  type ResourceJson,
  type Synthesized,
} from './support.js';

// Both stacks with the real bootstrap image asset, as `pnpm synth` makes them.
const { stacks, app, stateful } = synthesize(stagingConfig, webappColor, {
  realBootstrapImage: true,
});

/**
 * After the first release CodeDeploy owns the service's task-definition
 * revision and the listeners' target groups. CloudFormation only updates
 * a resource whose template properties changed, so these must not change
 * when configuration that has nothing to do with them does.
 */
const synthesizedBefore = synthesize(stagingConfig);
const synthesizedAfter = synthesize(
  configWith((input) => ({
    ...input,
    service: { minCount: 3, maxCount: 8, cpuTargetPercent: 60 },
    deployment: {
      strategy: { type: 'canary', percent: 20, intervalMinutes: 10 },
      terminationWaitMinutes: 30,
    },
    alarms: { target5xxPerMinute: 50, p95LatencySeconds: 1 },
    tags: { Owner: 'someone-else', CostCenter: '42' },
  })),
  // A release-relevant change to the definition: a new bootstrap revision, nothing else.
  {
    ...webappColor,
    container: {
      ...webappColor.container,
      environment: { ...webappColor.container.environment, APP_COLOR: 'pink' },
    },
  },
);
const before = resourcesOf(synthesizedBefore.app);
const after = resourcesOf(synthesizedAfter.app);

/**
 * The stack tags of the cloud assembly manifest, by stack: what `cdk deploy`
 * passes to CloudFormation as stack tags, which CloudFormation then applies
 * to every taggable resource of the stack, the CODE_DEPLOY service included.
 */
function manifestStackTags({ stacks }: Synthesized): Record<string, unknown> {
  const assembly = (stacks.app.node.root as App).synth();
  return Object.fromEntries(assembly.stacks.map((stack) => [stack.stackName, stack.tags]));
}

describe('stability across re-deploys', () => {
  it('the service keeps naming its task definition by family while the bootstrap revision changes', () => {
    expect(after.Service!.Properties.TaskDefinition).toBe(
      before.Service!.Properties.TaskDefinition,
    );
    expect(after.Service!.Properties.LoadBalancers).toEqual(
      before.Service!.Properties.LoadBalancers,
    );
    const containers = (r: typeof before) =>
      JSON.stringify(
        Object.values(r).find((x) => JSON.stringify(x).includes('"ContainerDefinitions"')),
      );
    expect(containers(after)).not.toBe(containers(before));
  });

  it('every listener is unchanged, so CloudFormation never flips traffic back', () => {
    for (const id of ['ProductionListener', 'TestListener']) {
      expect(after[id]!.Properties, id).toEqual(before[id]!.Properties);
    }
    // Target groups may get new tags (an in-place tag update that moves no traffic); nothing else changes.
    const untagged = ({ Tags: _tags, ...rest }: Record<string, unknown>) => rest;
    for (const id of ['BlueTargetGroup', 'GreenTargetGroup']) {
      expect(untagged(after[id]!.Properties), id).toEqual(untagged(before[id]!.Properties));
    }
    const httpListener = (r: typeof before) =>
      Object.entries(r).find(([, x]) => x.Properties?.Port === 80)?.[1];
    expect(httpListener(after)).toEqual(httpListener(before));
  });

  it('leaves the CODE_DEPLOY service resource byte-for-byte unchanged when tags and task counts change', () => {
    // A change would make CloudFormation call UpdateService with every
    // property, which ECS refuses for a CODE_DEPLOY service (aws-cdk#23564).
    expect(JSON.stringify(after.Service)).toBe(JSON.stringify(before.Service));
  });

  it('does not give the stacks tags, so a tag change never reaches the service through CloudFormation', () => {
    const tagsBefore = manifestStackTags(synthesizedBefore);
    expect(Object.keys(tagsBefore)).toHaveLength(2);
    expect(manifestStackTags(synthesizedAfter)).toEqual(tagsBefore);
    for (const tags of Object.values(tagsBefore)) expect(tags).toEqual({});
  });

  it('creates the configured tags on the resources other than the service and listeners', () => {
    const bucketTags = (r: typeof before) => r.ArtifactBucket!.Properties.Tags;
    expect(bucketTags(after)).toEqual(
      expect.arrayContaining([
        { Key: 'Owner', Value: 'someone-else' },
        { Key: 'CostCenter', Value: '42' },
      ]),
    );
    expect(after.Service!.Properties.Tags).toBeUndefined();
  });

  it('the changed settings do reach the deployment group and autoscaling', () => {
    expect(after.DeploymentGroup!.Properties.DeploymentConfigName).not.toEqual(
      before.DeploymentGroup!.Properties.DeploymentConfigName,
    );
    const target = (r: typeof before) =>
      Object.values(r).find((x) => x.Type === 'AWS::ApplicationAutoScaling::ScalableTarget')!
        .Properties;
    expect(target(after)).toMatchObject({ MinCapacity: 3, MaxCapacity: 8 });
    expect(target(before)).toMatchObject({ MinCapacity: 2, MaxCapacity: 5 });
  });
});

// What the CODE_DEPLOY service is created with and cannot take in place
// (ECS UpdateService changes only its desired count, deployment
// configuration, health check grace period, placement, managed tags and
// propagate tags): either it never reaches the service, or the
// ServiceShapeGuard refuses the change before anything moves. The guard's
// handler: service-shape.test.ts.

/** Synthesize the staging app with a config and/or definition change. */
function appWith(
  patch: (input: InfraConfigInput) => InfraConfigInput = (input) => input,
  definition: DeliveryDefinition = webappColor,
): Record<string, ResourceJson> {
  return resourcesOf(synthesize(configWith(patch), definition).app);
}

const shapeIdOf = (resources: Record<string, ResourceJson>) =>
  Object.entries(resources).find(([, r]) => r.Type === 'Custom::ServiceShape')![0];

/** What UpdateService changes for a CODE_DEPLOY service, and tags. */
const UPDATABLE = [
  'DesiredCount',
  'DeploymentConfiguration',
  'HealthCheckGracePeriodSeconds',
  'EnableECSManagedTags',
  'PropagateTags',
  'Tags',
  'PlacementConstraints',
  'PlacementStrategies',
];

/**
 * The Service properties CloudFormation cannot change under CODE_DEPLOY
 * (everything but those UpdateService takes), and what the service names
 * that a setting can replace behind the same reference: its subnets' CIDRs
 * and its target group's port and VPC.
 */
function fixedAtCreation(resources: Record<string, ResourceJson>): string {
  const fixed = Object.fromEntries(
    Object.entries(resources.Service!.Properties).filter(([key]) => !UPDATABLE.includes(key)),
  );
  const network = fixed.NetworkConfiguration as {
    AwsvpcConfiguration: { Subnets: { Ref: string }[] };
  };
  const subnets = network.AwsvpcConfiguration.Subnets.map(
    ({ Ref }) => resources[Ref]!.Properties.CidrBlock,
  );
  const targetGroups = (fixed.LoadBalancers as { TargetGroupArn: { Ref: string } }[]).map(
    ({ TargetGroupArn }) => {
      const { Port, VpcId } = resources[TargetGroupArn.Ref]!.Properties;
      return { Port, VpcId, vpc: resources[(VpcId as { Ref: string }).Ref]!.Properties.CidrBlock };
    },
  );
  return JSON.stringify({ fixed, subnets, targetGroups });
}

const withPort = (port: number): DeliveryDefinition => ({
  ...webappColor,
  container: { ...webappColor.container, port },
});

describe('ServiceShapeGuard: what reaches the CODE_DEPLOY service', () => {
  it('creates a synthesized app with an azCount of 3 only by refusing it, naming the field', () => {
    expect(() => appWith((i) => ({ ...i, network: { ...i.network, azCount: 3 } }))).toThrow(
      /network\.azCount = 3: must be 2/,
    );
  });

  it('creates the guard from the configured network and the definition’s container, and the VPC and service after it', () => {
    const shapeId = shapeIdOf(before);
    expect(before[shapeId]!.Properties).toMatchObject({
      NetworkAzCount: String(stagingConfig.network.azCount),
      NetworkVpcCidr: stagingConfig.network.vpcCidr,
      ContainerName: webappColor.container.name,
      ContainerPort: String(webappColor.container.port),
      ServiceLogicalId: 'Service',
    });
    const vpcId = Object.entries(before).find(([, r]) => r.Type === 'AWS::EC2::VPC')![0];
    expect(before[vpcId]!.DependsOn).toContain(shapeId);
    expect(before.Service!.DependsOn).toContain(shapeId);
  });

  it('leaves the service resource byte-for-byte unchanged when the definition’s platform version changes: releases carry it in the AppSpec', () => {
    const changed = resourcesOf(
      synthesize(stagingConfig, {
        ...webappColor,
        task: { ...webappColor.task, platformVersion: '1.4.0' },
      }).app,
    );
    expect(JSON.stringify(changed.Service)).toBe(JSON.stringify(before.Service));
    expect(changed.Service!.Properties.PlatformVersion).toBe('LATEST');
  });

  // Every change here either leaves what the service is created with alone,
  // or changes the guard's properties, so CloudFormation calls the guard
  // and it refuses. The first three are the ones that reach the service;
  // network.azCount is refused by the configuration itself (only 2: see
  // test/config.test.ts), and the guard holds it too.
  const changes: [string, () => Record<string, ResourceJson>, boolean][] = [
    [
      'network.vpcCidr',
      () => appWith((i) => ({ ...i, network: { ...i.network, vpcCidr: '10.2.0.0/16' } })),
      true,
    ],
    ['container.port', () => resourcesOf(synthesize(stagingConfig, withPort(3000)).app), true],
    [
      'container.name',
      () =>
        resourcesOf(
          synthesize(stagingConfig, {
            ...webappColor,
            container: { ...webappColor.container, name: 'web' },
          }).app,
        ),
      true,
    ],
    [
      'network.natGateways',
      () => appWith((i) => ({ ...i, network: { ...i.network, natGateways: 'per-az' } })),
      false,
    ],
    [
      'loadBalancer (test port, health check)',
      () =>
        appWith((i) => ({
          ...i,
          loadBalancer: { testListenerPort: 9443, healthCheck: { intervalSeconds: 15 } },
        })),
      false,
    ],
    [
      'service counts, tags',
      () =>
        appWith((i) => ({
          ...i,
          service: { minCount: 3, maxCount: 8 },
          tags: { Owner: 'someone-else' },
        })),
      false,
    ],
  ];

  it.each(changes)(
    'a change of %s reaches the service only through the guard',
    (_name, synthesizeChanged, reachesService) => {
      const changed = synthesizeChanged();
      const serviceChanged = fixedAtCreation(changed) !== fixedAtCreation(before);
      expect(serviceChanged).toBe(reachesService);
      const guardChanged =
        JSON.stringify(changed[shapeIdOf(changed)]!.Properties) !==
        JSON.stringify(before[shapeIdOf(before)]!.Properties);
      expect(guardChanged).toBe(serviceChanged);
    },
  );
});

describe('IAM and cdk-nag', () => {
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

describe('one Node.js major version', () => {
  it("every Lambda function runs the build's Node.js major", () => {
    const major = webappColor.build.nodejsRuntime;
    const functions = app.findResources('AWS::Lambda::Function');
    const runtimes = Object.entries(functions).map(([id, resource]) => [
      id,
      (resource as { Properties: { Runtime?: string } }).Properties.Runtime,
    ]);
    expect(runtimes.length).toBeGreaterThan(0);
    for (const [id, runtime] of runtimes) {
      expect(runtime, id).toBe(`nodejs${major}.x`);
    }
  });
});

describe('a brand-new account', () => {
  it('does not create the service-linked role in the stack, where it would fail in every account that has it', () => {
    for (const template of [app, stateful]) {
      const types = Object.values(resourcesOf(template)).map((r) => r.Type);
      expect(types).not.toContain('AWS::IAM::ServiceLinkedRole');
    }
  });
});

function withTask(cpu: string, memory: string): DeliveryDefinition {
  return { ...webappColor, task: { ...webappColor.task, cpu, memory } };
}

describe('delivery definition at the boundary (Fargate pairs from deploy-specs)', () => {
  it('fails when the memory is not allowed with the cpu, listing the memory allowed', () => {
    expect(() => synthesize(stagingConfig, withTask('256', '4096'))).toThrow(
      'task.memory = "4096": Fargate has no task of cpu 256 with memory 4096; for cpu 256 use memory 512, 1024, 2048',
    );
  });

  it('fails when the cpu is not a Fargate size, listing the sizes', () => {
    expect(() => synthesize(stagingConfig, withTask('300', '512'))).toThrow(
      'task.memory = "512": Fargate has no task of cpu 300 with memory 512; for cpu 300 use memory of a valid cpu (256, 512, 1024, 2048, 4096, 8192, 16384)',
    );
  });
});

const resources = resourcesOf(app);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('wiring: ReleaseNotifications', () => {
  it('creates the rules on the pipeline, the CodeDeploy application and the deployment group', () => {
    const [pipelineId] = ofType('AWS::CodePipeline::Pipeline')[0]!;
    const patterns = ofType('AWS::Events::Rule').map(([, r]) => r.Properties.EventPattern);
    expect(patterns).toContainEqual(
      expect.objectContaining({
        detail: { pipeline: [{ Ref: pipelineId }], state: ['FAILED'] },
      }) as unknown,
    );
    expect(patterns).toContainEqual(
      expect.objectContaining({
        detail: {
          application: [{ Ref: 'CodeDeployApplication' }],
          deploymentGroup: [{ Ref: 'DeploymentGroup' }],
          state: ['FAILURE', 'STOP'],
        },
      }) as unknown,
    );
  });

  it('outputs the topic', () => {
    app.hasOutput('NotificationTopicArn', {});
  });
});

describe('wiring: BlueGreenDeployment and RollbackAlarms', () => {
  it("creates the deployment group on the edge's listeners and target groups", () => {
    expect(resources.DeploymentGroup!.Properties.LoadBalancerInfo).toEqual({
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
    });
  });

  it("rolls back on every alarm of the app, each watching the app's load balancer or both target groups", () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(4);
    const group = resources.DeploymentGroup!.Properties as {
      AlarmConfiguration: { Alarms: { Name: unknown }[] };
    };
    expect(group.AlarmConfiguration.Alarms.map((a) => JSON.stringify(a.Name)).sort()).toEqual(
      alarms.map(([id]) => JSON.stringify({ Ref: id })).sort(),
    );
    for (const [id, alarm] of alarms) {
      const watched = JSON.stringify(alarm.Properties.Dimensions ?? alarm.Properties.Metrics);
      if (alarm.Properties.MetricName) expect(watched, id).toMatch(/EdgeLoadBalancer/);
      else expect(watched, id).toMatch(/BlueTargetGroup.*GreenTargetGroup/);
    }
  });
});

describe('wiring: ReleaseBuild', () => {
  it('gives the render step the values of the real resources', () => {
    const project = onlyResource(resources, 'AWS::CodeBuild::Project') as {
      Environment: { EnvironmentVariables: { Name: string; Value: unknown }[] };
    };
    const variables = project.Environment.EnvironmentVariables;
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
  });
});

describe('wiring: ReleasePipeline', () => {
  it('runs the release project, which reads the committed buildspec, in the Build stage', () => {
    const pipeline = onlyResource(resources, 'AWS::CodePipeline::Pipeline') as {
      Stages: { Name: string; Actions: { Configuration: { ProjectName?: unknown } }[] }[];
    };
    const [projectId, project] = ofType('AWS::CodeBuild::Project')[0]!;
    const buildStage = pipeline.Stages.find((stage) => stage.Name === 'Build')!;
    expect(buildStage.Actions[0]!.Configuration.ProjectName).toEqual({ Ref: projectId });
    expect(project.Properties.Source).toMatchObject({ BuildSpec: BUILDSPEC_PATH });
  });

  it("lets the deploy action pass only the service's two task roles", () => {
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
});

describe('stateful and CodeDeploy-held resources', () => {
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

describe('wiring: Service', () => {
  const { container } = webappColor;
  const service = onlyResource(resources, 'AWS::ECS::Service');

  it("runs the bootstrap revision on the CDK asset built from the app's Dockerfile at deploy time", () => {
    const taskDefinition = onlyResource(resources, 'AWS::ECS::TaskDefinition');
    const [definition] = taskDefinition.ContainerDefinitions as { Image: unknown }[];
    expect(JSON.stringify(definition!.Image)).toContain('cdk-hnb659fds-container-assets');
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
    // The listeners forward where the LiveTrafficGuard finds traffic now
    // (blue and green before the first release): below.
  });

  it("accepts only the edge's load balancer on the container port", () => {
    const taskGroups = (
      service.NetworkConfiguration as { AwsvpcConfiguration: { SecurityGroups: unknown[] } }
    ).AwsvpcConfiguration.SecurityGroups;
    const taskGroupId = (taskGroups[0] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const ingress = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::EC2::SecurityGroupIngress' &&
        JSON.stringify(r.Properties.GroupId).includes(taskGroupId),
    );
    expect(ingress.map((r) => r.Properties.SourceSecurityGroupId)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^EdgeLoadBalancerSecurityGroup/), 'GroupId'] },
    ]);
  });
});

describe('wiring: LiveTrafficGuard', () => {
  const guardId = Object.entries(resources).find(
    ([, r]) => r.Type === 'Custom::LiveTrafficGuard',
  )![0];

  it('creates both listeners forwarding to the live group, the idle one kept at weight 0 as CodeDeploy leaves it', () => {
    const forward = (live: string, idle: string) => [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: { 'Fn::GetAtt': [guardId, live] }, Weight: 100 },
            { TargetGroupArn: { 'Fn::GetAtt': [guardId, idle] }, Weight: 0 },
          ],
        },
      },
    ];
    expect(resources.ProductionListener!.Properties.DefaultActions).toEqual(
      forward('ProductionTargetGroupArn', 'ProductionIdleTargetGroupArn'),
    );
    expect(resources.TestListener!.Properties.DefaultActions).toEqual(
      forward('TestTargetGroupArn', 'TestIdleTargetGroupArn'),
    );
  });

  it('creates what a running deployment uses after the guard, so its refusal comes first', () => {
    const dependents = Object.entries(resources).filter(([, r]) => r.DependsOn?.includes(guardId));
    const types = dependents.map(([, r]) => r.Type);
    expect(types).toEqual(
      expect.arrayContaining([
        'AWS::CodeDeploy::DeploymentGroup',
        'AWS::ECS::TaskDefinition',
        'AWS::Lambda::Function',
      ]),
    );
    const hookFunctions = Object.values(resources).filter(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        [
          stagingConfig.smokeTest.functionNames.afterAllowTestTraffic,
          stagingConfig.smokeTest.functionNames.afterAllowTraffic,
        ].includes(r.Properties.FunctionName as string),
    );
    expect(hookFunctions).toHaveLength(2);
    for (const hook of hookFunctions) expect(hook.DependsOn).toContain(guardId);
  });

  it("creates the guard from the edge's load balancer and target groups and the app's CodeDeploy application", () => {
    expect(resources[guardId]!.Properties).toMatchObject({
      LoadBalancerArn: { Ref: expect.stringMatching(/LoadBalancer/) as unknown },
      ProductionPort: '443',
      TestPort: String(stagingConfig.loadBalancer.testListenerPort),
      BlueTargetGroupArn: { Ref: 'BlueTargetGroup' },
      GreenTargetGroupArn: { Ref: 'GreenTargetGroup' },
      ApplicationName: { Ref: 'CodeDeployApplication' },
      DeployRun: 'synth',
    });
  });
});

describe('outputs', () => {
  it('outputs the site, the pipeline, the connection with its handshake reminder', () => {
    app.hasOutput('ConnectionArn', { Description: Match.stringLikeRegexp('handshake') });
    app.hasOutput('SiteUrl', { Value: 'https://staging.myapp.example.com' });
    app.hasOutput('PipelineConsoleUrl', {});
  });
});
