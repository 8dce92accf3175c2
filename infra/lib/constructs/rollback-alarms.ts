import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

export interface RollbackAlarmThresholds {
  /** 5xx answers the load balancer itself gives per minute (no healthy target, a target that reset the connection). */
  readonly loadBalancer5xxPerMinute: number;
  readonly target5xxPerMinute: number;
  readonly unhealthyHosts: number;
  readonly p95LatencySeconds: number;
  readonly evaluationPeriods: number;
}

export interface RollbackAlarmsProps {
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.IApplicationTargetGroup;
  readonly thresholds: RollbackAlarmThresholds;
}

/**
 * Alarms that roll a deployment back. CodeDeploy swaps which target group
 * serves production on every release, so each target alarm watches blue
 * and green together (the idle one reports nothing: FILL → 0). The load
 * balancer's own 5xx catch what no target reports: a release whose tasks
 * never become healthy leaves production with nothing to forward to.
 */
export class RollbackAlarms extends Construct {
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RollbackAlarmsProps) {
    super(scope, id);
    const { thresholds } = props;
    const period = Duration.minutes(1);
    const both = (
      label: string,
      combine: (blue: string, green: string) => string,
      metric: (tg: elbv2.IApplicationTargetGroup) => cloudwatch.IMetric,
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
      evaluationPeriods: thresholds.evaluationPeriods,
      datapointsToAlarm: thresholds.evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    this.alarms = [
      new cloudwatch.Alarm(this, 'LoadBalancer5xxAlarm', {
        ...common,
        alarmDescription:
          'Load balancer 5xx responses (its own, not the targets’): rolls the deployment back',
        threshold: thresholds.loadBalancer5xxPerMinute,
        metric: props.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, {
          period,
          statistic: 'Sum',
        }),
      }),
      new cloudwatch.Alarm(this, 'Target5xxAlarm', {
        ...common,
        alarmDescription: 'Target 5xx responses (blue + green): rolls the deployment back',
        threshold: thresholds.target5xxPerMinute,
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
        threshold: thresholds.unhealthyHosts,
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
        threshold: thresholds.p95LatencySeconds,
        metric: both(
          'p95 latency',
          (b, g) => `MAX([${b}, ${g}])`,
          (tg) => tg.metrics.targetResponseTime({ period, statistic: 'p95' }),
        ),
      }),
    ];
  }
}
