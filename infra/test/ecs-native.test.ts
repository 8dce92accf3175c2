import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { parseInfraConfig, type InfraConfigInput } from '../config/index.js';
import { stagingEcs } from '../config/staging-ecs.js';
import {
  readHookEnvironment,
  nativeHookApiCalls,
  type HookLifecycleEvent,
} from '@webapp-color/hooks';
import {
  NATIVE_HOOK_ANSWER_MARGIN,
  NATIVE_HOOK_DEADLINE,
  NATIVE_HOOK_TIMEOUT,
} from '../lib/constructs/deployment-hook.js';
import { NativeBlueGreen } from '../lib/constructs/native-blue-green.js';
import {
  newApp,
  onlyResource,
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
const codeDeploy = resourcesOf(synthesize().app);

const ofType = (all: Record<string, ResourceJson>, type: string) =>
  Object.entries(all).filter(([, resource]) => resource.Type === type);

describe('an environment on the ECS deployment controller', () => {
  it('creates the service under the ECS controller with the canary, bake time and rollback alarms', () => {
    const service = resources.Service!.Properties;
    expect(service.DeploymentController).toEqual({ Type: 'ECS' });
    // LifecycleHooks: see "creates the native hooks" below.
    expect(service.DeploymentConfiguration).toEqual({
      LifecycleHooks: expect.any(Array) as unknown,
      Strategy: 'CANARY',
      BakeTimeInMinutes: 15,
      CanaryConfiguration: { CanaryPercent: 10, CanaryBakeTimeInMinutes: 5 },
      MaximumPercent: 200,
      MinimumHealthyPercent: 100,
      Alarms: {
        Enable: true,
        Rollback: true,
        AlarmNames: ofType(resources, 'AWS::CloudWatch::Alarm').map(([id]) => ({ Ref: id })),
      },
    });
    expect(ofType(resources, 'AWS::CloudWatch::Alarm')).toHaveLength(4);
  });

  it.each([
    [{ strategy: { type: 'all-at-once' } }, { Strategy: 'BLUE_GREEN', BakeTimeInMinutes: 15 }],
    [
      { strategy: { type: 'linear', percent: 20, intervalMinutes: 3 }, terminationWaitMinutes: 0 },
      {
        Strategy: 'LINEAR',
        BakeTimeInMinutes: 0,
        LinearConfiguration: { StepPercent: 20, StepBakeTimeInMinutes: 3 },
      },
    ],
  ] as const)('creates the strategy %j as %j', (deployment, expected) => {
    const { app } = synthesize(ecsConfig(deployment));
    const configuration = resourcesOf(app).Service!.Properties.DeploymentConfiguration;
    expect(configuration).toMatchObject(expected);
    expect(Object.keys(configuration as object)).not.toContain('CanaryConfiguration');
  });

  it('creates a production and a test listener rule, each forwarding to both target groups', () => {
    const rules = Object.fromEntries(
      ofType(resources, 'AWS::ElasticLoadBalancingV2::ListenerRule'),
    );
    expect(Object.keys(rules).sort()).toEqual(['ProductionRule', 'TestRule']);
    for (const [id, listener] of [
      ['ProductionRule', 'ProductionListener'],
      ['TestRule', 'TestListener'],
    ] as const) {
      const { Actions, ...rest } = rules[id]!.Properties as { Actions: unknown };
      expect(rest).toEqual({
        ListenerArn: { Ref: listener },
        Priority: 1,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
      });
      // The live group at 100 and the idle one at 0: both associated with the
      // rule; which is which, the LiveRuleGuard answers (live-rules.test.ts).
      const [forward, ...more] = Actions as {
        Type: string;
        ForwardConfig: { TargetGroups: { Weight: number }[] };
      }[];
      expect(more).toEqual([]);
      expect(forward!.Type).toBe('forward');
      expect(forward!.ForwardConfig.TargetGroups.map((group) => group.Weight)).toEqual([100, 0]);
    }
  });

  it('names the rules, the alternate target group and the load-balancer role in the service', () => {
    const [loadBalancer] = resources.Service!.Properties.LoadBalancers as Record<string, unknown>[];
    const roleId = Object.keys(resources).find((id) => id.startsWith('ServiceLoadBalancerRole'))!;
    expect(loadBalancer).toEqual({
      ContainerName: webappColor.container.name,
      ContainerPort: webappColor.container.port,
      TargetGroupArn: { Ref: 'BlueTargetGroup' },
      AdvancedConfiguration: {
        AlternateTargetGroupArn: { Ref: 'GreenTargetGroup' },
        ProductionListenerRule: { Ref: 'ProductionRule' },
        TestListenerRule: { Ref: 'TestRule' },
        RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      },
    });
  });

  it('creates the ECS infrastructure role for load balancers with AWS’s managed policy only', () => {
    const roleId = Object.keys(resources).find((id) => id.startsWith('ServiceLoadBalancerRole'))!;
    const role = resources[roleId]!.Properties;
    expect(role.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' } },
      ],
    });
    expect(JSON.stringify(role.ManagedPolicyArns)).toContain(
      ':iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers',
    );
    expect(roleActions(resources, roleId)).toEqual([]);
  });

  it('creates nothing of CodeDeploy, and leaves the listeners’ default actions as created', () => {
    const types = new Set(Object.values(resources).map((r) => r.Type));
    for (const type of [
      'AWS::CodeDeploy::Application',
      'AWS::CodeDeploy::DeploymentGroup',
      'Custom::ServiceShape',
    ]) {
      expect(types).not.toContain(type);
    }
    expect(resources.ProductionListener!.Properties.DefaultActions).toEqual([
      { Type: 'forward', TargetGroupArn: { Ref: 'BlueTargetGroup' } },
    ]);
  });

  it('passes cdk-nag with every acknowledgement written down', () => {
    expect(unacknowledgedNagFindings(native.stacks)).toEqual([]);
  });

  const hookFunctions = () =>
    Object.fromEntries(
      ofType(resources, 'AWS::Lambda::Function').flatMap(([id, fn]) => {
        const lifecycleEvent = readHookEnvironment(
          (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
            ?.Variables ?? {},
        ).lifecycleEvent;
        return lifecycleEvent ? [[lifecycleEvent, { id, fn }]] : [];
      }),
    ) as Record<HookLifecycleEvent, { id: string; fn: ResourceJson }>;

  it('creates the native hooks on the four traffic stages, invoked through one role', () => {
    const hooks = hookFunctions();
    const { LifecycleHooks: lifecycleHooks } = resources.Service!.Properties
      .DeploymentConfiguration as { LifecycleHooks: { RoleArn: unknown }[] };
    const roleArn = lifecycleHooks[0]!.RoleArn;
    expect(lifecycleHooks).toEqual([
      {
        HookTargetArn: { 'Fn::GetAtt': [hooks.AfterAllowTestTraffic.id, 'Arn'] },
        RoleArn: roleArn,
        LifecycleStages: ['TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'],
      },
      {
        HookTargetArn: { 'Fn::GetAtt': [hooks.AfterAllowTraffic.id, 'Arn'] },
        RoleArn: roleArn,
        LifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'],
      },
    ]);
    for (const { fn } of Object.values(hooks)) {
      expect(fn.Properties.Timeout).toBe(NATIVE_HOOK_TIMEOUT.toSeconds());
      expect(fn.Properties).toHaveProperty('VpcConfig');
      expect(fn.Properties).not.toHaveProperty('FunctionName');
      const values = readHookEnvironment(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      );
      // One invocation's checks end before the Lambda's timeout; all of them within the deadline.
      expect(values.checkBudgetMs).toBe(
        NATIVE_HOOK_TIMEOUT.toMilliseconds() - NATIVE_HOOK_ANSWER_MARGIN.toMilliseconds(),
      );
      expect(values.checkDeadlineMs).toBe(NATIVE_HOOK_DEADLINE.toMilliseconds());
    }
    expect(
      readHookEnvironment(
        (
          hooks.AfterAllowTraffic.fn.Properties.Environment as {
            Variables: Record<string, unknown>;
          }
        ).Variables,
      ),
    ).toMatchObject({ listenerProtocol: 'https', listenerPort: 443, liveImageTag: 'live' });
  });

  it('writes each hook’s role from nativeHookApiCalls, scoped to the cluster and the repository', () => {
    for (const [lifecycleEvent, { fn }] of Object.entries(hookFunctions())) {
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(roleActions(resources, roleId).sort(), lifecycleEvent).toEqual(
        nativeHookApiCalls(lifecycleEvent as HookLifecycleEvent)
          .map((call) => call.action)
          .sort(),
      );
      const statements = Object.values(resources)
        .filter(
          (r) =>
            r.Type === 'AWS::IAM::Policy' &&
            JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
        )
        .flatMap(
          (r) =>
            (r.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] })
              .Statement,
        );
      const deployments = statements.find((st) => st.Action === 'ecs:DescribeServiceDeployments');
      expect(JSON.stringify(deployments?.Resource)).toMatch(/service-deployment\/".*"\/\*/);
      for (const action of ['ecr:BatchGetImage', 'ecr:PutImage']) {
        const statement = statements.find((st) => [st.Action].flat().includes(action));
        if (lifecycleEvent === 'AfterAllowTraffic') {
          expect(JSON.stringify(statement?.Resource)).toContain('Repository');
        } else expect(statement).toBeUndefined();
      }
    }
  });

  it('lets the test-traffic hook reach the test listener', () => {
    const { id } = hookFunctions().AfterAllowTestTraffic;
    const groupId = (
      resources[id]!.Properties.VpcConfig as { SecurityGroupIds: { 'Fn::GetAtt': [string] }[] }
    ).SecurityGroupIds[0]!['Fn::GetAtt'][0];
    const ingress = ofType(resources, 'AWS::EC2::SecurityGroupIngress').filter(([, r]) =>
      JSON.stringify(r.Properties.SourceSecurityGroupId).includes(groupId),
    );
    expect(ingress.map(([, r]) => r.Properties.FromPort)).toEqual([
      ecsConfig().loadBalancer.testListenerPort,
    ]);
  });

  it('leaves the CodeDeploy environment without listener rules, on CODE_DEPLOY', () => {
    expect(ofType(codeDeploy, 'AWS::ElasticLoadBalancingV2::ListenerRule')).toEqual([]);
    expect(codeDeploy.Service!.Properties.DeploymentController).toEqual({ Type: 'CODE_DEPLOY' });
    expect(
      (codeDeploy.Service!.Properties.LoadBalancers as Record<string, unknown>[])[0],
    ).not.toHaveProperty('AdvancedConfiguration');
  });
});

describe('NativeBlueGreen', () => {
  const fixture = () => {
    const stack = new Stack(newApp(), 'Fixture', { env: { region: 'us-east-2' } });
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
    taskDefinition.addContainer('App', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
    });
    const alarm = new cloudwatch.Alarm(stack, 'Alarm', {
      metric: new cloudwatch.Metric({ namespace: 'Test', metricName: 'Errors' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    return { stack, cluster, taskDefinition, alarm };
  };
  // A function to point the hooks at: the wiring is under test, not a handler.
  const hookFunction = (stack: Stack, id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ hookStatus: "SUCCEEDED" });'),
    });

  it('creates the lifecycle hooks with one role that may invoke exactly those functions', () => {
    const { stack, cluster, taskDefinition, alarm } = fixture();
    const service = new ecs.FargateService(stack, 'Service', {
      cluster,
      taskDefinition,
      deploymentController: { type: ecs.DeploymentControllerType.ECS },
      deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN,
    });
    const testHook = hookFunction(stack, 'TestHook');
    const productionHook = hookFunction(stack, 'ProductionHook');
    const deployment = new NativeBlueGreen(stack, 'Deployment', {
      service,
      alarms: [alarm],
      hooks: [
        { function: testHook, stages: [ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT] },
        {
          function: productionHook,
          stages: [ecs.DeploymentLifecycleStage.POST_PRODUCTION_TRAFFIC_SHIFT],
        },
      ],
    });
    const template = Template.fromStack(stack);
    const all = resourcesOf(template);
    const roleId = stack.getLogicalId(deployment.hookInvokeRole!.node.defaultChild as CfnElement);
    const functionId = (fn: lambda.Function) =>
      stack.getLogicalId(fn.node.defaultChild as CfnElement);
    const configuration = onlyResource(all, 'AWS::ECS::Service').DeploymentConfiguration as {
      LifecycleHooks: unknown[];
      Alarms: unknown;
    };
    expect(configuration.LifecycleHooks).toEqual([
      {
        HookTargetArn: { 'Fn::GetAtt': [functionId(testHook), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
        LifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
      },
      {
        HookTargetArn: { 'Fn::GetAtt': [functionId(productionHook), 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
        LifecycleStages: ['POST_PRODUCTION_TRAFFIC_SHIFT'],
      },
    ]);
    expect(configuration.Alarms).toEqual({
      AlarmNames: [{ Ref: stack.getLogicalId(alarm.node.defaultChild as CfnElement) }],
      Enable: true,
      Rollback: true,
    });
    const policies = Object.values(all).filter(
      (r) =>
        r.Type === 'AWS::IAM::Policy' &&
        JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]),
    );
    expect(policies.map((p) => p.Properties.PolicyDocument)).toEqual([
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'lambda:InvokeFunction',
            // The minimizePolicies flag sorts the resources.
            Resource: [functionId(productionHook), functionId(testHook)]
              .sort()
              .map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })),
          },
        ],
      },
    ]);
  });

  it('fails when the service is under the CODE_DEPLOY controller', () => {
    const { stack, cluster, taskDefinition, alarm } = fixture();
    const service = new ecs.FargateService(stack, 'Service', {
      cluster,
      taskDefinition,
      deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
    });
    expect(() => new NativeBlueGreen(stack, 'Deployment', { service, alarms: [alarm] })).toThrow(
      /Fixture\/Service is not under the ECS deployment controller/,
    );
  });
});
