import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { describe, expect, it } from 'vitest';
import { environments, loadEnvironments, loadInfraConfig } from '../config/index.js';
import { ReleaseDashboard } from '../lib/constructs/release-dashboard.js';
import { newApp, synthesize } from './support.js';

const account = '123456789012';
const region = 'us-east-2';
const loadBalancerArn = `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/app/web/50dc6c495c0c9188`;
const targetGroupArn = (name: string, id: string) =>
  `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${name}/${id}`;

/** A template value made only of strings, Fn::Join and the region; anything else is an error. */
function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  if ((value as { Ref?: string }).Ref === 'AWS::Region') return region;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`not a string nor an Fn::Join: ${JSON.stringify(value)}`);
  return join[1].map(joined).join(join[0]);
}

/** The dashboard alone, in a stack of its own, over imported stand-ins of what it watches. */
function dashboardBody(): { widgets: Widget[] } {
  const stack = new Stack(newApp(), 'DashboardTest', { env: { account, region } });
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a',
    availabilityZones: [`${region}a`, `${region}b`],
  });
  const loadBalancer = elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(
    stack,
    'LoadBalancer',
    { loadBalancerArn, securityGroupId: 'sg-0a', vpc },
  );
  const targetGroup = (id: string, name: string, suffix: string) =>
    elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, id, {
      targetGroupArn: targetGroupArn(name, suffix),
      loadBalancerArns: loadBalancerArn,
    });
  const cluster = ecs.Cluster.fromClusterAttributes(stack, 'Cluster', {
    clusterName: 'myproject-staging',
    vpc,
  });
  const service = ecs.FargateService.fromFargateServiceAttributes(stack, 'Service', {
    cluster,
    serviceName: 'webapp-color',
  });
  const alarm = (id: string) =>
    cloudwatch.Alarm.fromAlarmArn(stack, id, `arn:aws:cloudwatch:${region}:${account}:alarm:${id}`);
  new ReleaseDashboard(stack, 'Dashboard', {
    dashboardName: 'myproject-staging',
    loadBalancer,
    blueTargetGroup: targetGroup('Blue', 'blue', '73e2d6bc24d8a067'),
    greenTargetGroup: targetGroup('Green', 'green', '0f3a1b2c3d4e5f60'),
    service,
    alarms: [alarm('Target5xx'), alarm('Unhealthy')],
  });
  const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
  const [resource] = Object.values(dashboards) as {
    Properties: { DashboardName: string; DashboardBody: unknown };
  }[];
  expect(Object.keys(dashboards)).toHaveLength(1);
  expect(resource!.Properties.DashboardName).toBe('myproject-staging');
  // Every name is known at synth time here, so the body joins to plain JSON.
  return JSON.parse(joined(resource!.Properties.DashboardBody)) as { widgets: Widget[] };
}

interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title: string;
    readonly metrics?: readonly (readonly unknown[])[];
    readonly alarms?: readonly string[];
  };
}

const body = dashboardBody();
const widget = (title: RegExp) => {
  const found = body.widgets.filter((w) => title.test(w.properties.title));
  expect(found.map((w) => w.properties.title)).toHaveLength(1);
  return found[0]!;
};
/** [namespace, metric, ...dimension pairs, options] rows, as names and labels. */
const rows = (w: Widget) =>
  (w.properties.metrics ?? []).map((row) => {
    const options = row.at(-1) as { label?: string; stat?: string };
    return { metric: row.slice(0, -1).join(' '), label: options.label, stat: options.stat };
  });

describe('ReleaseDashboard', () => {
  it('shows production traffic by color: requests per target group, blue and green', () => {
    expect(rows(widget(/^Requests by target group/))).toEqual([
      {
        metric:
          'AWS/ApplicationELB RequestCount LoadBalancer app/web/50dc6c495c0c9188 TargetGroup targetgroup/blue/73e2d6bc24d8a067',
        label: 'blue',
        stat: 'Sum',
      },
      {
        metric:
          'AWS/ApplicationELB RequestCount LoadBalancer app/web/50dc6c495c0c9188 TargetGroup targetgroup/green/0f3a1b2c3d4e5f60',
        label: 'green',
        stat: 'Sum',
      },
    ]);
  });

  it("shows 5xx per target group beside the load balancer's own", () => {
    const metrics = rows(widget(/^5xx by target group/));
    expect(metrics.map((m) => [m.label, m.metric.split(' ')[1]])).toEqual([
      ['blue', 'HTTPCode_Target_5XX_Count'],
      ['green', 'HTTPCode_Target_5XX_Count'],
      ['load balancer', 'HTTPCode_ELB_5XX_Count'],
    ]);
  });

  it('shows target response time at p50 and p99 for each color', () => {
    const metrics = rows(widget(/response time p50 \/ p99/));
    expect(metrics.map((m) => [m.label, m.stat, m.metric.split(' ')[1]])).toEqual([
      ['blue p50', 'p50', 'TargetResponseTime'],
      ['green p50', 'p50', 'TargetResponseTime'],
      ['blue p99', 'p99', 'TargetResponseTime'],
      ['green p99', 'p99', 'TargetResponseTime'],
    ]);
  });

  it('shows healthy hosts per target group', () => {
    expect(rows(widget(/^Healthy hosts/)).map((m) => [m.label, m.metric.split(' ')[1]])).toEqual([
      ['blue', 'HealthyHostCount'],
      ['green', 'HealthyHostCount'],
    ]);
  });

  it("shows the service's task sets and deployments from Container Insights", () => {
    expect(rows(widget(/^Deployments/))).toEqual([
      {
        metric:
          'ECS/ContainerInsights TaskSetCount ClusterName myproject-staging ServiceName webapp-color',
        label: 'task sets',
        stat: 'Maximum',
      },
      {
        metric:
          'ECS/ContainerInsights DeploymentCount ClusterName myproject-staging ServiceName webapp-color',
        label: 'deployments',
        stat: 'Maximum',
      },
    ]);
  });

  it("shows the rollback alarms' states", () => {
    expect(widget(/^Rollback alarms/).properties.alarms).toEqual([
      `arn:aws:cloudwatch:${region}:${account}:alarm:Target5xx`,
      `arn:aws:cloudwatch:${region}:${account}:alarm:Unhealthy`,
    ]);
  });
});

describe.each(Object.keys(environments))('the %s environment', (name) => {
  const config = loadInfraConfig(name);
  // A promoted environment (production) is composed with the one it is promoted from.
  const { app } = synthesize(config, undefined, { environments: loadEnvironments() });
  const prefix = `${config.prefix}-${config.environment}`;

  it('has its own release dashboard, linked from the stack outputs', () => {
    app.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    app.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: prefix });
    const url = JSON.stringify(app.findOutputs('DashboardUrl'));
    expect(url).toContain(`#dashboards/dashboard/${prefix}`);
  });
});
