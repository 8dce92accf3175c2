import {
  CodeDeployClient,
  ListDeploymentGroupsCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import {
  DescribeListenersCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { beforeEach, describe, expect, it } from 'vitest';
import { inputOf } from '../lambda/live-traffic/index.js';
import {
  resolveLiveTargetGroups,
  UNFINISHED_DEPLOYMENT_STATUSES,
  type LiveTrafficInput,
} from '../lambda/live-traffic/resolve.js';
import { resourcesOf, stagingConfig, synthesize } from './support.js';

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

/** A listener as DescribeListeners answers it (API reference, Listener): the default action forwards. */
function listener(port: number, targetGroupArn: string, weighted = false): Listener {
  return {
    ListenerArn: `${input.loadBalancerArn.replace(':loadbalancer/', ':listener/')}/${port}`,
    LoadBalancerArn: input.loadBalancerArn,
    Port: port,
    Protocol: port === 443 ? 'HTTPS' : 'HTTP',
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

const codedeploy = mockClient(CodeDeployClient);
const elbv2 = mockClient(ElasticLoadBalancingV2Client);
const clients = {
  codedeploy: new CodeDeployClient({}),
  elbv2: new ElasticLoadBalancingV2Client({}),
};

beforeEach(() => {
  codedeploy.reset();
  elbv2.reset();
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
      productionTargetGroupArn: BLUE,
      testTargetGroupArn: GREEN,
    });
  });

  it('creates production forwarding to green after an odd number of releases', async () => {
    elbv2
      .on(DescribeListenersCommand)
      .resolves({ Listeners: [listener(80, ''), listener(443, GREEN), listener(9000, GREEN)] });
    await expect(resolveLiveTargetGroups(input, clients)).resolves.toEqual({
      productionTargetGroupArn: GREEN,
      testTargetGroupArn: GREEN,
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
      productionTargetGroupArn: BLUE,
      testTargetGroupArn: BLUE,
    });
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
      includeOnlyStatuses: UNFINISHED_DEPLOYMENT_STATUSES,
    });
    expect(elbv2.commandCalls(DescribeListenersCommand)).toHaveLength(0);
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

describe('LiveTrafficGuard: the template', () => {
  const resources = resourcesOf(synthesize(stagingConfig, webappColor).app);
  const guardId = Object.entries(resources).find(
    ([, r]) => r.Type === 'Custom::LiveTrafficGuard',
  )![0];

  it('creates both listeners forwarding to the target groups the guard finds live', () => {
    expect(resources.ProductionListener!.Properties.DefaultActions).toEqual([
      { Type: 'forward', TargetGroupArn: { 'Fn::GetAtt': [guardId, 'ProductionTargetGroupArn'] } },
    ]);
    expect(resources.TestListener!.Properties.DefaultActions).toEqual([
      { Type: 'forward', TargetGroupArn: { 'Fn::GetAtt': [guardId, 'TestTargetGroupArn'] } },
    ]);
  });

  it('creates the guard from the load balancer, both target groups and the CodeDeploy application', () => {
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

  it('creates a new guard input on every deploy run, so CloudFormation calls it every time', () => {
    const a = resourcesOf(synthesize(stagingConfig, webappColor, { deployRun: 'run-1' }).app);
    const b = resourcesOf(synthesize(stagingConfig, webappColor, { deployRun: 'run-2' }).app);
    expect(a[guardId]!.Properties.DeployRun).not.toEqual(b[guardId]!.Properties.DeployRun);
  });
});
