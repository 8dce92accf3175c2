import {
  CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksOutput,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import {
  CodeDeployClient,
  ListDeploymentGroupsCommand,
  ListDeploymentsCommand,
  type DeploymentStatus,
  type ListDeploymentsCommandInput,
} from '@aws-sdk/client-codedeploy';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { Template } from 'aws-cdk-lib/assertions';
import { EcsApplication } from 'aws-cdk-lib/aws-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { CloudFormationCustomResourceUpdateEvent } from 'aws-lambda';
import { GUARD_API_CALLS } from '../lambda/live-traffic/api-calls.js';
import { handler, inputOf } from '../lambda/live-traffic/index.js';
import { resolveLiveTargetGroups, type LiveTrafficInput } from '../lambda/live-traffic/resolve.js';
import { LiveTrafficGuard } from '../lib/constructs/live-traffic-guard.js';
import {
  BLUE_TARGET_GROUP_ARN,
  constructStack,
  GREEN_TARGET_GROUP_ARN,
  importedLoadBalancer,
  importedTargetGroups,
  importedVpc,
  LOAD_BALANCER_ARN,
} from './stand-ins.js';
import {
  describeGuardStack,
  GUARD_STACK_ID,
  resourcesOf,
  roleActions,
  type ResourceJson,
} from './support.js';

const arn = (kind: string, name: string) =>
  `arn:aws:elasticloadbalancing:us-east-2:123456789012:${kind}/app/${name}`;
const BLUE = arn('targetgroup', 'myproj-blue/73e2d6bc24d8a067');
const GREEN = arn('targetgroup', 'myproj-green/2453ed029918f21f');
const input: LiveTrafficInput = {
  loadBalancerArn: arn('loadbalancer', 'myproj-alb/50dc6c495c0c9188'),
  productionPort: 443,
  testPort: 9000,
  blueTargetGroupArn: BLUE,
  greenTargetGroupArn: GREEN,
  applicationName: 'myproject-staging-app',
};

/** What every listener of the load balancer answers besides its actions. */
function listenerOn(port: number): Omit<Listener, 'DefaultActions'> {
  return {
    ListenerArn: `${input.loadBalancerArn.replace(':loadbalancer/', ':listener/')}/${port}`,
    LoadBalancerArn: input.loadBalancerArn,
    Port: port,
    Protocol: port === 443 ? 'HTTPS' : 'HTTP',
  };
}

/**
 * A listener as CodeDeploy leaves it after a release: a weighted
 * ForwardConfig, the live group at 100 and the idle one kept at 0, and no
 * top-level TargetGroupArn (the CodeDeploy service team's change,
 * traveloka/terraform-aws-alb-single-listener#47).
 */
function releasedListener(port: number, live: string): Listener {
  const idle = live === BLUE ? GREEN : BLUE;
  return {
    ...listenerOn(port),
    DefaultActions: [
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: live, Weight: 100 },
            { TargetGroupArn: idle, Weight: 0 },
          ],
          TargetGroupStickinessConfig: { Enabled: false },
        },
      },
    ],
  };
}

/** A listener as DescribeListeners answers it (API reference, Listener): the default action forwards. */
function listener(port: number, targetGroupArn: string, weighted = false): Listener {
  return {
    ...listenerOn(port),
    DefaultActions: [
      weighted
        ? {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: BLUE, Weight: 90 },
                { TargetGroupArn: GREEN, Weight: 10 },
              ],
            },
          }
        : {
            Type: 'forward',
            TargetGroupArn: targetGroupArn,
            ForwardConfig: { TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }] },
          },
    ],
  };
}

const cloudformation = mockClient(CloudFormationClient);
const codedeploy = mockClient(CodeDeployClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);

// The test files share one module graph (vitest.config.ts): the SDK's
// clients go back to normal for the next file.
afterAll(() => {
  cloudformation.restore();
  codedeploy.restore();
  elbv2.restore();
});
const clients = {
  cloudformation: new CloudFormationClient({}),
  codedeploy: new CodeDeployClient({}),
  elbv2: new ElasticLoadBalancingV2Client({}),
};

const STACK_ID = GUARD_STACK_ID;

/** DescribeStacks as CloudFormation answers it for the guard's own stack (API reference, Stack). */
function stackIs(status: StackStatus): void {
  cloudformation
    .on(DescribeStacksCommand, { StackName: STACK_ID })
    .resolves(describeGuardStack(status) as DescribeStacksOutput);
}

/**
 * ListDeployments as CodeDeploy answers it: the deployments of the group
 * whose status is one of includeOnlyStatuses (all of them when it is
 * absent), so a status the guard leaves out of its request is a deployment
 * it never sees.
 */
function deploymentsIn(deployments: Record<string, DeploymentStatus>): void {
  codedeploy.on(ListDeploymentsCommand).callsFake((request: ListDeploymentsCommandInput) => ({
    deployments: Object.entries(deployments)
      .filter(([, status]) => request.includeOnlyStatuses?.includes(status) ?? true)
      .map(([id]) => id),
  }));
}

beforeEach(() => {
  cloudformation.reset();
  codedeploy.reset();
  elbv2.reset();
  stackIs('UPDATE_IN_PROGRESS');
  codedeploy.on(ListDeploymentGroupsCommand).resolves({
    applicationName: input.applicationName,
    deploymentGroups: ['myproject-staging-group'],
  });
  codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
});

describe('LiveTrafficGuard: resolving the live target groups', () => {
  it('creates the listeners on blue (production) and green (test) on the first deploy', async () => {
    codedeploy.on(ListDeploymentGroupsCommand).resolves({ deploymentGroups: [] });
    elbv2.on(DescribeListenersCommand).resolves({ Listeners: [] });
    await expect(resolveLiveTargetGroups(input, clients)).resolves.toEqual({
      production: { live: BLUE, idle: GREEN },
      test: { live: GREEN, idle: BLUE },
    });
  });

  it('creates production forwarding to green after an odd number of releases', async () => {
    elbv2
      .on(DescribeListenersCommand)
      .resolves({ Listeners: [listener(80, ''), listener(443, GREEN), listener(9000, GREEN)] });
    await expect(resolveLiveTargetGroups(input, clients)).resolves.toEqual({
      production: { live: GREEN, idle: BLUE },
      test: { live: GREEN, idle: BLUE },
    });
    expect(elbv2.commandCalls(DescribeListenersCommand)[0]!.args[0].input).toEqual({
      LoadBalancerArn: input.loadBalancerArn,
      Marker: undefined,
    });
  });

  it('creates production forwarding to blue after an even number, reading every page of listeners', async () => {
    elbv2
      .on(DescribeListenersCommand, { Marker: undefined })
      .resolves({ Listeners: [listener(443, BLUE)], NextMarker: 'page-2' })
      .on(DescribeListenersCommand, { Marker: 'page-2' })
      .resolves({ Listeners: [listener(9000, BLUE)] });
    await expect(resolveLiveTargetGroups(input, clients)).resolves.toEqual({
      production: { live: BLUE, idle: GREEN },
      test: { live: BLUE, idle: GREEN },
    });
  });

  it('creates production on green with blue kept idle from the weighted shape CodeDeploy leaves after a release', async () => {
    elbv2.on(DescribeListenersCommand).resolves({
      Listeners: [releasedListener(443, GREEN), releasedListener(9000, GREEN)],
    });
    await expect(resolveLiveTargetGroups(input, clients)).resolves.toEqual({
      production: { live: GREEN, idle: BLUE },
      test: { live: GREEN, idle: BLUE },
    });
  });

  it('fails when an unfinished deployment is on a later page of ListDeployments', async () => {
    codedeploy
      .on(ListDeploymentsCommand, { nextToken: undefined })
      .resolves({ deployments: [], nextToken: 'page-2' })
      .on(ListDeploymentsCommand, { nextToken: 'page-2' })
      .resolves({ deployments: ['d-ONPAGETWO'] });
    elbv2.on(DescribeListenersCommand).resolves({ Listeners: [releasedListener(443, BLUE)] });
    await expect(resolveLiveTargetGroups(input, clients)).rejects.toThrow(
      'CodeDeploy deployment d-ONPAGETWO',
    );
  });

  it('fails when a CodeDeploy deployment has not finished, naming it', async () => {
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-INPROGRES1'] });
    elbv2.on(DescribeListenersCommand).resolves({ Listeners: [listener(443, BLUE)] });
    await expect(resolveLiveTargetGroups(input, clients)).rejects.toThrow(
      'CodeDeploy deployment d-INPROGRES1 (myproject-staging-app/myproject-staging-group) has not finished',
    );
    expect(codedeploy.commandCalls(ListDeploymentsCommand)[0]!.args[0].input).toEqual({
      applicationName: input.applicationName,
      deploymentGroupName: 'myproject-staging-group',
      includeOnlyStatuses: ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'],
    });
    expect(elbv2.commandCalls(DescribeListenersCommand)).toHaveLength(0);
  });

  // Every DeploymentStatus the API reference lists that is not an end
  // state: https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeploymentInfo.html
  it.each(['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const)(
    'fails when a deployment is %s',
    async (status) => {
      deploymentsIn({ 'd-UNFINISHD1': status, 'd-SUCCEEDED': 'Succeeded' });
      elbv2.on(DescribeListenersCommand).resolves({ Listeners: [releasedListener(443, BLUE)] });
      await expect(resolveLiveTargetGroups(input, clients)).rejects.toThrow(
        /^CodeDeploy deployment d-UNFINISHD1 \(myproject-staging-app\/myproject-staging-group\) has not finished/,
      );
    },
  );

  it('creates the listeners when every deployment has ended (Succeeded, Failed, Stopped)', async () => {
    deploymentsIn({
      'd-SUCCEEDED': 'Succeeded',
      'd-FAILED001': 'Failed',
      'd-STOPPED01': 'Stopped',
    });
    elbv2.on(DescribeListenersCommand).resolves({ Listeners: [releasedListener(443, GREEN)] });
    await expect(resolveLiveTargetGroups(input, clients)).resolves.toMatchObject({
      production: { live: GREEN, idle: BLUE },
    });
  });

  it('fails when an unfinished deployment is in a group on a later page of ListDeploymentGroups', async () => {
    codedeploy
      .on(ListDeploymentGroupsCommand, { nextToken: undefined })
      .resolves({ deploymentGroups: ['myproject-staging-group'], nextToken: 'groups-2' })
      .on(ListDeploymentGroupsCommand, { nextToken: 'groups-2' })
      .resolves({ deploymentGroups: ['myproject-staging-other'] });
    codedeploy
      .on(ListDeploymentsCommand, { deploymentGroupName: 'myproject-staging-group' })
      .resolves({ deployments: [] })
      .on(ListDeploymentsCommand, { deploymentGroupName: 'myproject-staging-other' })
      .resolves({ deployments: ['d-OTHERGRP1'] });
    elbv2.on(DescribeListenersCommand).resolves({ Listeners: [releasedListener(443, BLUE)] });
    await expect(resolveLiveTargetGroups(input, clients)).rejects.toThrow(
      'CodeDeploy deployment d-OTHERGRP1 (myproject-staging-app/myproject-staging-other)',
    );
    expect(
      codedeploy.commandCalls(ListDeploymentGroupsCommand).map((call) => call.args[0].input),
    ).toEqual([
      { applicationName: input.applicationName, nextToken: undefined },
      { applicationName: input.applicationName, nextToken: 'groups-2' },
    ]);
  });

  it('fails when production is split between blue and green', async () => {
    elbv2
      .on(DescribeListenersCommand)
      .resolves({ Listeners: [listener(443, '', true), listener(9000, GREEN)] });
    await expect(resolveLiveTargetGroups(input, clients)).rejects.toThrow(
      /forwards to .*myproj-blue.* and .*myproj-green.*finish or roll back the traffic shift/,
    );
  });

  it('fails when a listener forwards to a target group of another stack', async () => {
    const stranger = arn('targetgroup', 'other/1111111111111111');
    elbv2.on(DescribeListenersCommand).resolves({ Listeners: [listener(443, stranger)] });
    await expect(resolveLiveTargetGroups(input, clients)).rejects.toThrow(
      /neither the blue nor the green target group/,
    );
  });

  it('fails when a resource property is missing, naming it', () => {
    expect(() => inputOf({ LoadBalancerArn: 'x', ProductionPort: '443' })).toThrow(
      'LiveTrafficGuard: property TestPort = undefined: expected a port',
    );
  });
});

describe('LiveTrafficGuard: CloudFormation rollback replay', () => {
  const properties = (deployRun: string) => ({
    ServiceToken: 'arn:aws:lambda:us-east-2:123456789012:function:provider',
    LoadBalancerArn: input.loadBalancerArn,
    ProductionPort: '443',
    TestPort: '9000',
    BlueTargetGroupArn: BLUE,
    GreenTargetGroupArn: GREEN,
    ApplicationName: input.applicationName,
    DeployRun: deployRun,
  });
  /** An Update as CloudFormation sends it (the Provider framework passes it on as is). */
  const update = (to: string, from: string): CloudFormationCustomResourceUpdateEvent => ({
    RequestType: 'Update',
    ServiceToken: properties(to).ServiceToken,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast2.s3.amazonaws.com/x',
    StackId: STACK_ID,
    RequestId: 'b1c3a5e7-0000-4000-8000-000000000000',
    LogicalResourceId: 'LiveTrafficGuard',
    PhysicalResourceId: 'live-traffic-LiveTrafficGuard',
    ResourceType: 'Custom::LiveTrafficGuard',
    ResourceProperties: properties(to),
    OldResourceProperties: properties(from),
  });
  const EARLIER = '2026-11-20T10:00:00.000Z';
  const LATER = '2026-11-27T09:00:00.000Z';

  beforeEach(() => {
    // A release is shifting production traffic: the forward deploy was refused.
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ['d-SHIFTING1'] });
    elbv2.on(DescribeListenersCommand).resolves({
      Listeners: [listener(443, '', true), releasedListener(9000, GREEN)],
    });
  });

  it('fails when a deploy meets the running deployment, asking the stack, not the clock', async () => {
    // A deployer whose clock runs behind stamps an earlier DeployRun than
    // the deploy before: still a forward deploy, the stack says so.
    for (const [to, from] of [
      [LATER, EARLIER],
      [EARLIER, LATER],
    ] as const) {
      await expect(handler(update(to, from), clients)).rejects.toThrow(
        'CodeDeploy deployment d-SHIFTING1',
      );
    }
    expect(
      cloudformation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input),
    ).toEqual([{ StackName: STACK_ID }, { StackName: STACK_ID }]);
  });

  it('does not refuse on the rollback replay (stack UPDATE_ROLLBACK_IN_PROGRESS), answering the groups that serve now', async () => {
    stackIs('UPDATE_ROLLBACK_IN_PROGRESS');
    // Whatever the DeployRun values say.
    for (const [to, from] of [
      [EARLIER, LATER],
      [LATER, EARLIER],
    ] as const) {
      await expect(handler(update(to, from), clients)).resolves.toEqual({
        PhysicalResourceId: 'live-traffic-LiveTrafficGuard',
        Data: {
          // Production is split 90/10: the heaviest serves now.
          ProductionTargetGroupArn: BLUE,
          ProductionIdleTargetGroupArn: GREEN,
          TestTargetGroupArn: GREEN,
          TestIdleTargetGroupArn: BLUE,
        },
      });
    }
    expect(codedeploy.commandCalls(ListDeploymentsCommand)).toHaveLength(0);
  });

  it.each([
    'UPDATE_IN_PROGRESS',
    'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
    'UPDATE_ROLLBACK_COMPLETE',
  ] as const)(
    'fails when the stack is %s: only UPDATE_ROLLBACK_IN_PROGRESS is the replay',
    async (status) => {
      stackIs(status);
      await expect(handler(update(LATER, EARLIER), clients)).rejects.toThrow(
        'CodeDeploy deployment d-SHIFTING1',
      );
    },
  );

  it('makes only the calls its role allows, and its role allows nothing else', async () => {
    // A forward deploy with the listeners in place: every call the handler makes.
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
    elbv2.on(DescribeListenersCommand).resolves({
      Listeners: [releasedListener(443, GREEN), releasedListener(9000, GREEN)],
    });
    await handler(update(LATER, EARLIER), clients);
    const prefixes = { CloudFormationClient: 'cloudformation', CodeDeployClient: 'codedeploy' };
    const made = [
      ...cloudformation
        .calls()
        .map((c) => `${prefixes.CloudFormationClient}:${c.args[0].constructor.name}`),
      ...codedeploy
        .calls()
        .map((c) => `${prefixes.CodeDeployClient}:${c.args[0].constructor.name}`),
      ...elbv2.calls().map((c) => `elasticloadbalancing:${c.args[0].constructor.name}`),
    ].map((call) => call.replace(/Command$/, ''));
    expect(new Set(made)).toEqual(new Set(GUARD_API_CALLS.map((call) => call.action)));
    expect(new Set(made)).toEqual(new Set(guardRoleActions()));
  });
});

/** The actions the guard handler's role allows, from the construct's template. */
function guardRoleActions(): string[] {
  const resources = templateResources;
  const [, fn] = Object.entries(resources).find(
    ([, r]) =>
      r.Type === 'AWS::Lambda::Function' &&
      String(r.Properties.Description).startsWith(
        'Refuses a deploy during a CodeDeploy deployment',
      ),
  )!;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return roleActions(resources, roleId);
}

/**
 * The guard alone, on an imported load balancer and target groups, and a
 * minimal real CodeDeploy application (its cdk-nag acknowledgement names the
 * application's logical id).
 */
function guardTemplate(deployRun = 'synth'): Record<string, ResourceJson> {
  const stack = constructStack();
  const vpc = importedVpc(stack);
  new LiveTrafficGuard(stack, 'LiveTraffic', {
    loadBalancer: importedLoadBalancer(stack, vpc),
    productionPort: 443,
    testPort: 9000,
    ...importedTargetGroups(stack),
    application: new EcsApplication(stack, 'Application'),
    deployRun,
  });
  return resourcesOf(Template.fromStack(stack));
}

const templateResources = guardTemplate();

describe('LiveTrafficGuard: the construct', () => {
  const resources = templateResources;
  const guardId = Object.entries(resources).find(
    ([, r]) => r.Type === 'Custom::LiveTrafficGuard',
  )![0];
  const applicationId = Object.entries(resources).find(
    ([, r]) => r.Type === 'AWS::CodeDeploy::Application',
  )![0];

  it('creates the guard from the load balancer, both target groups and the CodeDeploy application', () => {
    expect(resources[guardId]!.Properties).toMatchObject({
      LoadBalancerArn: LOAD_BALANCER_ARN,
      ProductionPort: '443',
      TestPort: '9000',
      BlueTargetGroupArn: BLUE_TARGET_GROUP_ARN,
      GreenTargetGroupArn: GREEN_TARGET_GROUP_ARN,
      ApplicationName: { Ref: applicationId },
      DeployRun: 'synth',
    });
  });

  it('creates the guard role with cloudformation:DescribeStacks on its own stack only', () => {
    const statements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap(
        (r) =>
          (r.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] })
            .Statement,
      )
      .filter((statement) => [statement.Action].flat().includes('cloudformation:DescribeStacks'));
    expect(statements).toEqual([
      expect.objectContaining({
        Action: 'cloudformation:DescribeStacks',
        Resource: { Ref: 'AWS::StackId' },
      }),
    ]);
  });

  it('creates a new guard input on every deploy run, so CloudFormation calls it every time', () => {
    const a = guardTemplate('run-1');
    const b = guardTemplate('run-2');
    expect(a[guardId]!.Properties.DeployRun).not.toEqual(b[guardId]!.Properties.DeployRun);
  });
});
