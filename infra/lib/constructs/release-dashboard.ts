import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

export interface ReleaseDashboardProps {
  /** The dashboard's name: `<prefix>-<environment>`, so each environment has its own. */
  readonly dashboardName: string;
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.IApplicationTargetGroup;
  readonly service: ecs.IBaseService;
  /** The alarms that roll a deployment back. */
  readonly alarms: readonly cloudwatch.IAlarm[];
}

/** The colors CloudWatch draws each target group in: the same on every graph. */
const COLORS = { blue: cloudwatch.Color.BLUE, green: cloudwatch.Color.GREEN } as const;

/**
 * One dashboard per environment, laid out for a release: production traffic
 * and 5xx by target group (traffic by color: a shift is the blue line
 * handing over to the green one), response time p50/p99, healthy hosts,
 * the service's deployments and task sets, and the rollback alarms' states.
 *
 * Metrics: the Application Load Balancer's per-target-group `AWS/ApplicationELB`
 * metrics, and the service's `DeploymentCount` and `TaskSetCount` from
 * Container Insights (`ECS/ContainerInsights`, enabled on the cluster): a
 * CodeDeploy release runs two task sets while it lasts.
 */
export class ReleaseDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ReleaseDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(1);
    const colors = [
      { color: 'blue', targetGroup: props.blueTargetGroup },
      { color: 'green', targetGroup: props.greenTargetGroup },
    ] as const;
    const byColor = (
      metric: (tg: elbv2.IApplicationTargetGroup) => cloudwatch.Metric,
      suffix = '',
    ): cloudwatch.IMetric[] =>
      colors.map(({ color, targetGroup }) =>
        metric(targetGroup).with({ label: `${color}${suffix}`, color: COLORS[color], period }),
      );
    const serviceMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'ECS/ContainerInsights',
        metricName,
        dimensionsMap: {
          ClusterName: props.service.cluster.clusterName,
          ServiceName: props.service.serviceName,
        },
        statistic: 'Maximum',
        period,
      });
    const graph = (title: string, left: cloudwatch.IMetric[], stacked = false) =>
      new cloudwatch.GraphWidget({ title, left, stacked, width: 12, height: 6 });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          graph(
            'Requests by target group (production and test traffic)',
            byColor((tg) => tg.metrics.requestCount({ statistic: 'Sum' })),
            true,
          ),
          graph('5xx by target group, and the load balancer’s own', [
            ...byColor((tg) =>
              tg.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, {
                statistic: 'Sum',
              }),
            ),
            props.loadBalancer.metrics
              .httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { statistic: 'Sum' })
              .with({ label: 'load balancer', color: cloudwatch.Color.RED, period }),
          ]),
        ],
        [
          graph('Target response time p50 / p99 (seconds)', [
            ...byColor((tg) => tg.metrics.targetResponseTime({ statistic: 'p50' }), ' p50'),
            ...byColor((tg) => tg.metrics.targetResponseTime({ statistic: 'p99' }), ' p99'),
          ]),
          graph(
            'Healthy hosts by target group',
            byColor((tg) => tg.metrics.healthyHostCount({ statistic: 'Minimum' })),
          ),
        ],
        [
          graph('Deployments: task sets and service deployments', [
            serviceMetric('TaskSetCount').with({ label: 'task sets' }),
            serviceMetric('DeploymentCount').with({ label: 'deployments' }),
          ]),
          new cloudwatch.AlarmStatusWidget({
            title: 'Rollback alarms',
            alarms: [...props.alarms],
            width: 12,
            height: 6,
          }),
        ],
      ],
    });
  }
}
