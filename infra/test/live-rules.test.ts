import {
  CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksOutput,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListServicesCommand,
  type DescribeServiceDeploymentsCommandInput,
  type ListServiceDeploymentsCommandInput,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
} from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  type DescribeRulesCommandInput,
  type Listener,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseInfraConfig } from '../config/index.js';
import { stagingEcs } from '../config/staging-ecs.js';
import { RULE_GUARD_API_CALLS } from '../lambda/live-rules/api-calls.js';
import { handler, ruleInputOf } from '../lambda/live-rules/index.js';
import { UNFINISHED_SERVICE_DEPLOYMENT_STATUSES } from '../lambda/live-rules/resolve-rules.js';
import {
  describeGuardStack,
  GUARD_STACK_ID,
  resourcesOf,
  roleActions,
  synthesize,
} from './support.js';

const ACCOUNT = '123456789012';
const elbArn = (kind: string, name: string) =>
  `arn:aws:elasticloadbalancing:us-east-2:${ACCOUNT}:${kind}/app/${name}`;
const BLUE = elbArn('targetgroup', 'myproj-blue/73e2d6bc24d8a067');
const GREEN = elbArn('targetgroup', 'myproj-green/2453ed029918f21f');
const LOAD_BALANCER = elbArn('loadbalancer', 'myproj-alb/50dc6c495c0c9188');
const CLUSTER = `arn:aws:ecs:us-east-2:${ACCOUNT}:cluster/myproject-staging-ecs-Cluster-Ab12Cd34`;
const SERVICE = `arn:aws:ecs:us-east-2:${ACCOUNT}:service/myproject-staging-ecs-Cluster-Ab12Cd34/myproject-staging-ecs-app-Service-Ef56Gh78`;
const DEPLOYMENT = `arn:aws:ecs:us-east-2:${ACCOUNT}:service-deployment/myproject-staging-ecs-Cluster-Ab12Cd34/myproject-staging-ecs-app-Service-Ef56Gh78/Kq3LmN0pR2sT4uV6wX8yZ`;

/** The bootstrap revision (the stack's) and the revision a release registered and the service runs. */
const BOOTSTRAP_TASK_DEFINITION = `arn:aws:ecs:us-east-2:${ACCOUNT}:task-definition/myproject-staging-ecs-webapp-color:1`;
const RELEASE_TASK_DEFINITION = `arn:aws:ecs:us-east-2:${ACCOUNT}:task-definition/myproject-staging-ecs-webapp-color:4`;

const properties = {
  ServiceToken: 'arn:aws:lambda:us-east-2:123456789012:function:provider',
  LoadBalancerArn: LOAD_BALANCER,
  ProductionPort: '443',
  TestPort: '9000',
  BlueTargetGroupArn: BLUE,
  GreenTargetGroupArn: GREEN,
  ClusterArn: CLUSTER,
  RulePriority: '1',
  DeployRun: '2026-12-02T10:00:00.000Z',
  BootstrapTaskDefinitionArn: BOOTSTRAP_TASK_DEFINITION,
};

const common = {
  ServiceToken: properties.ServiceToken,
  ResponseURL: 'https://cloudformation-custom-resource-response-useast2.s3.amazonaws.com/x',
  StackId: GUARD_STACK_ID,
  RequestId: 'b8e2c2a4-0000-4000-8000-000000000001',
  LogicalResourceId: 'LiveRules2E7DEA6B',
  ResourceType: 'Custom::LiveRuleGuard',
};
const updateEvent: CloudFormationCustomResourceUpdateEvent = {
  ...common,
  RequestType: 'Update',
  PhysicalResourceId: 'live-rules-LiveRules2E7DEA6B',
  ResourceProperties: { ...properties, DeployRun: '2026-12-02T11:00:00.000Z' },
  OldResourceProperties: properties,
};
const createEvent: CloudFormationCustomResourceCreateEvent = {
  ...common,
  RequestType: 'Create',
  ResourceProperties: properties,
};

const listenerArn = (port: number) =>
  `${LOAD_BALANCER.replace(':loadbalancer/', ':listener/')}/${port === 443 ? 'f3a8c91d2b7e6a10' : '0c5d9e2a7b1f4e83'}`;

/** A listener as DescribeListeners answers it (API reference, Listener); its default action is never reached. */
function listenerOn(port: number): Listener {
  return {
    ListenerArn: listenerArn(port),
    LoadBalancerArn: LOAD_BALANCER,
    Port: port,
    Protocol: port === 443 ? 'HTTPS' : 'HTTP',
    DefaultActions: [
      {
        Type: 'forward',
        TargetGroupArn: BLUE,
        ForwardConfig: {
          TargetGroups: [{ TargetGroupArn: BLUE, Weight: 1 }],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ],
  };
}

/**
 * The rules of a listener as DescribeRules answers them (API reference,
 * Rule): the traffic rule (Priority a string, conditions with both the
 * legacy Values and the typed config, a weighted forward) and the default
 * rule ("default", IsDefault).
 */
function rulesOf(port: number, weights: Record<string, number>): Rule[] {
  const listener = listenerArn(port).replace(':listener/', ':listener-rule/');
  return [
    {
      RuleArn: `${listener}/9d1e2f3a4b5c6d7e`,
      Priority: '1',
      Conditions: [
        { Field: 'path-pattern', Values: ['/*'], PathPatternConfig: { Values: ['/*'] } },
      ],
      Actions: [
        {
          Type: 'forward',
          Order: 1,
          ForwardConfig: {
            TargetGroups: Object.entries(weights).map(([arn, weight]) => ({
              TargetGroupArn: arn,
              Weight: weight,
            })),
            TargetGroupStickinessConfig: { Enabled: false },
          },
        },
      ],
      IsDefault: false,
    },
    {
      RuleArn: `${listener}/default`,
      Priority: 'default',
      Conditions: [],
      Actions: listenerOn(port).DefaultActions,
      IsDefault: true,
    },
  ];
}

/**
 * DescribeServiceDeployments as ECS answers it for a blue/green deployment
 * (API reference, ServiceDeployment): no lifecycleHookDetails unless hooks
 * ran, alarms in MONITORING, the bake time in deploymentConfiguration.
 */
function serviceDeployment(status: ServiceDeploymentStatus, stage: string): ServiceDeployment {
  return {
    serviceDeploymentArn: DEPLOYMENT,
    serviceArn: SERVICE,
    clusterArn: CLUSTER,
    createdAt: new Date('2026-12-02T09:58:12.402Z'),
    startedAt: new Date('2026-12-02T09:58:13.118Z'),
    updatedAt: new Date('2026-12-02T10:04:40.771Z'),
    sourceServiceRevisions: [
      {
        arn: `arn:aws:ecs:us-east-2:${ACCOUNT}:service-revision/myproject-staging-ecs-Cluster-Ab12Cd34/myproject-staging-ecs-app-Service-Ef56Gh78/4188251873402367931`,
        requestedTaskCount: 2,
        runningTaskCount: 2,
        pendingTaskCount: 0,
      },
    ],
    targetServiceRevision: {
      arn: `arn:aws:ecs:us-east-2:${ACCOUNT}:service-revision/myproject-staging-ecs-Cluster-Ab12Cd34/myproject-staging-ecs-app-Service-Ef56Gh78/9038157112806273314`,
      requestedTaskCount: 2,
      runningTaskCount: 2,
      pendingTaskCount: 0,
    },
    status,
    statusReason: 'ECS deployment in progress.',
    lifecycleStage: stage as ServiceDeployment['lifecycleStage'],
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: false, rollback: false },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      alarms: { alarmNames: ['myproject-staging-ecs-Target5xx'], rollback: true, enable: true },
      strategy: 'CANARY',
      bakeTimeInMinutes: 15,
      canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 },
    },
    alarms: {
      status: 'MONITORING',
      alarmNames: ['myproject-staging-ecs-Target5xx'],
      triggeredAlarmNames: [],
    },
  };
}

const cloudformation = mockClient(CloudFormationClient);
const ecs = mockClient(ECSClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
afterAll(() => {
  cloudformation.restore();
  ecs.restore();
  elbv2.restore();
});
const clients = {
  cloudformation: new CloudFormationClient({}),
  ecs: new ECSClient({}),
  elbv2: new ElasticLoadBalancingV2Client({}),
};

function stackIs(status: StackStatus): void {
  cloudformation
    .on(DescribeStacksCommand, { StackName: GUARD_STACK_ID })
    .resolves(describeGuardStack(status) as DescribeStacksOutput);
}

/**
 * ListServiceDeployments as ECS answers it: the deployments whose status
 * is one of the request's (all when it names none), so a status the guard
 * leaves out is a deployment it never sees; DescribeServiceDeployments
 * answers them in full.
 */
function deploymentsAre(deployments: ServiceDeployment[]): void {
  ecs.on(ListServicesCommand).resolves({ serviceArns: [SERVICE] });
  // DescribeServices as ECS answers it (API reference, Service): the revision ARN it runs.
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceArn: SERVICE,
        serviceName: SERVICE.split('/').at(-1),
        clusterArn: CLUSTER,
        status: 'ACTIVE',
        taskDefinition: RELEASE_TASK_DEFINITION,
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        launchType: 'FARGATE',
        deploymentController: { type: 'ECS' },
      },
    ],
    failures: [],
  });
  ecs
    .on(ListServiceDeploymentsCommand)
    .callsFake((request: ListServiceDeploymentsCommandInput) => ({
      serviceDeployments: deployments
        .filter((d) => !request.status || request.status.includes(d.status!))
        .map((d) => ({
          serviceDeploymentArn: d.serviceDeploymentArn,
          serviceArn: d.serviceArn,
          clusterArn: d.clusterArn,
          createdAt: d.createdAt,
          startedAt: d.startedAt,
          targetServiceRevisionArn: d.targetServiceRevision?.arn,
          status: d.status,
          statusReason: d.statusReason,
        })),
    }));
  ecs
    .on(DescribeServiceDeploymentsCommand)
    .callsFake((request: DescribeServiceDeploymentsCommandInput) => ({
      serviceDeployments: deployments.filter((d) =>
        request.serviceDeploymentArns!.includes(d.serviceDeploymentArn!),
      ),
      failures: [],
    }));
}

/**
 * The rules as ECS leaves them: each release moves both to the other group,
 * a weighted ForwardConfig at 100/0 without a scalar TargetGroupArn (seen
 * live after a first deployment: go-to-k/cdk-real-drift#1730).
 */
function rulesAfterReleases(releases: number): void {
  const live = releases % 2 === 1 ? GREEN : BLUE;
  const idle = live === BLUE ? GREEN : BLUE;
  rulesAre({ [live]: 100, [idle]: 0 }, { [live]: 100, [idle]: 0 });
}

function rulesAre(production: Record<string, number>, test: Record<string, number>): void {
  elbv2
    .on(DescribeListenersCommand, { LoadBalancerArn: LOAD_BALANCER })
    .resolves({ Listeners: [listenerOn(443), listenerOn(9000)] });
  elbv2.on(DescribeRulesCommand).callsFake((request: DescribeRulesCommandInput) => ({
    Rules:
      request.ListenerArn === listenerArn(443)
        ? rulesOf(443, production)
        : request.ListenerArn === listenerArn(9000)
          ? rulesOf(9000, test)
          : [],
  }));
}

beforeEach(() => {
  cloudformation.reset();
  ecs.reset();
  elbv2.reset();
  stackIs('UPDATE_IN_PROGRESS');
  deploymentsAre([]);
});

describe('LiveRuleGuard handler', () => {
  it.each([1, 2, 3])(
    'keeps production and the test rule where ECS left them after %i release(s)',
    async (releases) => {
      rulesAfterReleases(releases);
      const live = releases % 2 === 1 ? GREEN : BLUE;
      const idle = live === BLUE ? GREEN : BLUE;
      expect(await handler(updateEvent, clients)).toEqual({
        PhysicalResourceId: 'live-rules-LiveRules2E7DEA6B',
        Data: {
          ProductionTargetGroupArn: live,
          ProductionIdleTargetGroupArn: idle,
          TestTargetGroupArn: live,
          TestIdleTargetGroupArn: idle,
          // The revision the release left the service on, not the family's newest.
          ServiceTaskDefinitionArn: RELEASE_TASK_DEFINITION,
        },
      });
    },
  );

  it('answers the template’s first choice (blue, the bootstrap revision) before the rules and the service exist', async () => {
    elbv2.on(DescribeListenersCommand).resolves({ Listeners: [] });
    ecs.on(ListServicesCommand).resolves({ serviceArns: [] });
    stackIs('CREATE_IN_PROGRESS');
    const { Data } = await handler(createEvent, clients);
    expect(Data).toEqual({
      ProductionTargetGroupArn: BLUE,
      ProductionIdleTargetGroupArn: GREEN,
      TestTargetGroupArn: BLUE,
      TestIdleTargetGroupArn: GREEN,
      ServiceTaskDefinitionArn: BOOTSTRAP_TASK_DEFINITION,
    });
  });

  it('refuses a cluster with more than one service, naming them', async () => {
    rulesAfterReleases(1);
    const other = SERVICE.replace('Service-Ef56Gh78', 'Other-Zz99');
    ecs.on(ListServicesCommand).resolves({ serviceArns: [SERVICE, other] });
    ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    ecs.on(DescribeServicesCommand).resolves({
      services: [SERVICE, other].map((arn) => ({
        serviceArn: arn,
        clusterArn: CLUSTER,
        status: 'ACTIVE',
        taskDefinition: RELEASE_TASK_DEFINITION,
      })),
      failures: [],
    });
    await expect(handler(updateEvent, clients)).rejects.toThrow(
      `cluster ${CLUSTER} runs 2 services (${SERVICE}, ${other})`,
    );
  });

  it('fails while a service deployment is in progress, naming it, its stage and its target', async () => {
    rulesAfterReleases(1);
    deploymentsAre([serviceDeployment('IN_PROGRESS', 'BAKE_TIME')]);
    await expect(handler(updateEvent, clients)).rejects.toThrow(
      `service deployment ${DEPLOYMENT} (IN_PROGRESS, stage BAKE_TIME, to arn:aws:ecs:us-east-2:123456789012:service-revision/myproject-staging-ecs-Cluster-Ab12Cd34/myproject-staging-ecs-app-Service-Ef56Gh78/9038157112806273314) has not finished`,
    );
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)[0]!.args[0].input).toEqual({
      cluster: CLUSTER,
      service: SERVICE,
      status: UNFINISHED_SERVICE_DEPLOYMENT_STATUSES,
    });
  });

  it.each(['PENDING', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'] as const)(
    'fails while a service deployment is %s',
    async (status) => {
      rulesAfterReleases(0);
      deploymentsAre([serviceDeployment(status, 'TEST_TRAFFIC_SHIFT')]);
      await expect(handler(updateEvent, clients)).rejects.toThrow(`(${status}, stage`);
    },
  );

  it.each(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED'] as const)(
    'deploys after a service deployment ended %s',
    async (status) => {
      rulesAfterReleases(1);
      deploymentsAre([serviceDeployment(status, 'CLEAN_UP')]);
      expect((await handler(updateEvent, clients)).Data?.ProductionTargetGroupArn).toBe(GREEN);
    },
  );

  it('fails when the production rule is split between blue and green (a shift under way)', async () => {
    rulesAre({ [BLUE]: 90, [GREEN]: 10 }, { [GREEN]: 100, [BLUE]: 0 });
    await expect(handler(updateEvent, clients)).rejects.toThrow(
      /rule .*listener-rule\/app\/myproj-alb\/50dc6c495c0c9188\/f3a8c91d2b7e6a10\/9d1e2f3a4b5c6d7e \(priority 1\) of the listener on port 443 forwards to .*myproj-blue.* \(weight 90\) and .*myproj-green.* \(weight 10\)/,
    );
  });

  it('on CloudFormation’s rollback replay answers what serves now, without refusing or asking about deployments', async () => {
    stackIs('UPDATE_ROLLBACK_IN_PROGRESS');
    rulesAre({ [BLUE]: 10, [GREEN]: 90 }, { [GREEN]: 100, [BLUE]: 0 });
    deploymentsAre([serviceDeployment('IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT')]);
    const { Data } = await handler(updateEvent, clients);
    expect(Data?.ProductionTargetGroupArn).toBe(GREEN);
    // No deployment check (it would refuse); the revision the service runs is read all the same.
    expect(ecs.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0);
    expect(Data?.ServiceTaskDefinitionArn).toBe(RELEASE_TASK_DEFINITION);
  });

  it('makes only the calls its role allows, and its role allows nothing else', async () => {
    rulesAfterReleases(1);
    deploymentsAre([serviceDeployment('SUCCESSFUL', 'CLEAN_UP')]);
    await handler(updateEvent, clients);
    const made = [...cloudformation.calls(), ...ecs.calls(), ...elbv2.calls()].map((call) =>
      (call.args[0] as object).constructor.name.replace(/Command$/, ''),
    );
    expect(new Set(made)).toEqual(
      new Set(
        RULE_GUARD_API_CALLS.filter((call) => call.operation !== 'DescribeServiceDeployments').map(
          (call) => call.operation,
        ),
      ),
    );
    // DescribeServiceDeployments: only when a deployment is listed unfinished.
    deploymentsAre([serviceDeployment('IN_PROGRESS', 'BAKE_TIME')]);
    await expect(handler(updateEvent, clients)).rejects.toThrow(/has not finished/);
    expect(ecs.commandCalls(DescribeServiceDeploymentsCommand)).toHaveLength(1);

    const { app } = synthesize(parseInfraConfig('staging-ecs', stagingEcs));
    const resources = resourcesOf(app);
    const roleId = Object.keys(resources).find(
      (id) =>
        id.startsWith('LiveRulesResolveServiceRole') && resources[id]!.Type === 'AWS::IAM::Role',
    )!;
    expect(roleActions(resources, roleId).sort()).toEqual(
      RULE_GUARD_API_CALLS.map((call) => call.action).sort(),
    );
  });

  it('answers a delete without a call', async () => {
    expect(
      await handler(
        {
          ...common,
          RequestType: 'Delete',
          PhysicalResourceId: 'live-rules-LiveRules2E7DEA6B',
          ResourceProperties: properties,
        },
        clients,
      ),
    ).toEqual({ PhysicalResourceId: 'live-rules-LiveRules2E7DEA6B' });
    expect([...ecs.calls(), ...elbv2.calls()]).toHaveLength(0);
  });

  it('fails when a property is missing or out of range, naming it and its value', () => {
    expect(() => ruleInputOf({ ...properties, ClusterArn: '' })).toThrow(
      'LiveRuleGuard: property ClusterArn = "": expected a non-empty string',
    );
    expect(() => ruleInputOf({ ...properties, RulePriority: '0' })).toThrow(
      'LiveRuleGuard: property RulePriority = "0": expected a rule priority from 1 to 50000',
    );
  });
});

describe('LiveRuleGuard in the stack', () => {
  const resources = resourcesOf(synthesize(parseInfraConfig('staging-ecs', stagingEcs)).app);
  const guardId = Object.keys(resources).find(
    (id) => resources[id]!.Type === 'Custom::LiveRuleGuard',
  )!;

  it('makes both rules forward to the guard’s answers: a stack update writes back what serves', () => {
    for (const [rule, prefix] of [
      ['ProductionRule', 'Production'],
      ['TestRule', 'Test'],
    ] as const) {
      expect(resources[rule]!.Properties.Actions).toEqual([
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              {
                TargetGroupArn: { 'Fn::GetAtt': [guardId, `${prefix}TargetGroupArn`] },
                Weight: 100,
              },
              {
                TargetGroupArn: { 'Fn::GetAtt': [guardId, `${prefix}IdleTargetGroupArn`] },
                Weight: 0,
              },
            ],
          },
        },
      ]);
    }
  });

  it('creates the guard with the cluster, the ports and the rule priority, and the service after the rules', () => {
    expect(resources[guardId]!.Properties).toMatchObject({
      ClusterArn: { 'Fn::GetAtt': ['Cluster', 'Arn'] },
      ProductionPort: '443',
      TestPort: '9000',
      RulePriority: '1',
      BlueTargetGroupArn: { Ref: 'BlueTargetGroup' },
      GreenTargetGroupArn: { Ref: 'GreenTargetGroup' },
    });
    expect(resources.Service!.DependsOn).toEqual(
      expect.arrayContaining(['ProductionRule', 'TestRule']),
    );
  });

  it('names, in the service, the revision the service runs now (the bootstrap one before it exists)', () => {
    const bootstrapId = Object.keys(resources).find(
      (id) => resources[id]!.Type === 'AWS::ECS::TaskDefinition',
    )!;
    expect(resources[guardId]!.Properties.BootstrapTaskDefinitionArn).toEqual({ Ref: bootstrapId });
    expect(resources.Service!.Properties.TaskDefinition).toEqual({
      'Fn::GetAtt': [guardId, 'ServiceTaskDefinitionArn'],
    });
  });
});
