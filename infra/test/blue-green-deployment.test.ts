/* eslint-disable @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers (expect.objectContaining, expect.any…) are typed any */
import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { BlueGreenDeployment } from '../lib/constructs/blue-green-deployment.js';
import { RollbackAlarms } from '../lib/constructs/rollback-alarms.js';
import {
  BLUE_TARGET_GROUP_ARN,
  constructStack,
  GREEN_TARGET_GROUP_ARN,
  importedListeners,
  importedLoadBalancer,
  importedService,
  importedTargetGroups,
  importedVpc,
  PRODUCTION_LISTENER_ARN,
  TEST_LISTENER_ARN,
} from './stand-ins.js';
import { resourcesOf } from './support.js';

// The alarms and the deployment group in a stack of their own, on an imported
// load balancer, target groups, listeners and service.
function build(): Template {
  const stack = constructStack();
  const vpc = importedVpc(stack);
  const targetGroups = importedTargetGroups(stack);
  const rollbackAlarms = new RollbackAlarms(stack, 'RollbackAlarms', {
    loadBalancer: importedLoadBalancer(stack, vpc),
    ...targetGroups,
    thresholds: {
      loadBalancer5xxPerMinute: 5,
      target5xxPerMinute: 5,
      unhealthyHosts: 1,
      p95LatencySeconds: 2,
      evaluationPeriods: 2,
    },
  });
  new BlueGreenDeployment(stack, 'Deployment', {
    service: importedService(stack, vpc),
    ...targetGroups,
    ...importedListeners(stack),
    trafficShift: { type: 'all-at-once' },
    terminationWait: Duration.minutes(5),
    alarms: rollbackAlarms.alarms,
    // The hooks' wiring to the group is in deployment-hook.test.ts.
    hooks: [],
  });
  return Template.fromStack(stack);
}

const resources = resourcesOf(build());

describe('BlueGreenDeployment and RollbackAlarms', () => {
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
            ProdTrafficRoute: { ListenerArns: [PRODUCTION_LISTENER_ARN] },
            TestTrafficRoute: { ListenerArns: [TEST_LISTENER_ARN] },
            TargetGroups: [{ Name: 'blue' }, { Name: 'green' }],
          },
        ],
      },
    });
  });

  it('creates the load balancer 5xx, target 5xx, unhealthy-host and latency alarms and wires each to rollback', () => {
    const alarms = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(4);
    const group = resources.DeploymentGroup!.Properties as {
      AlarmConfiguration: { Enabled: boolean; Alarms: { Name: unknown }[] };
    };
    expect(group.AlarmConfiguration.Enabled).toBe(true);
    expect(group.AlarmConfiguration.Alarms.map((a) => JSON.stringify(a.Name)).sort()).toEqual(
      alarms.map(([id]) => JSON.stringify({ Ref: id })).sort(),
    );
    const metricNames = alarms.map(([, alarm]) => {
      if (alarm.Properties.MetricName) {
        // The load balancer's own 5xx: one metric of the load balancer.
        expect(JSON.stringify(alarm.Properties.Dimensions)).toContain('LoadBalancer');
        return alarm.Properties.MetricName as string;
      }
      const metrics = alarm.Properties.Metrics as {
        MetricStat?: { Metric: { MetricName: string; Dimensions: unknown[] } };
      }[];
      const stats = metrics.filter((m) => m.MetricStat);
      expect(JSON.stringify(stats)).toContain(BLUE_TARGET_GROUP_ARN.split(':').pop()!);
      expect(JSON.stringify(stats)).toContain(GREEN_TARGET_GROUP_ARN.split(':').pop()!);
      return stats[0]!.MetricStat!.Metric.MetricName;
    });
    expect(metricNames.sort()).toEqual([
      'HTTPCode_ELB_5XX_Count',
      'HTTPCode_Target_5XX_Count',
      'TargetResponseTime',
      'UnHealthyHostCount',
    ]);
  });
});
