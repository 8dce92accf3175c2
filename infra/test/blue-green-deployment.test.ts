/* eslint-disable @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers (expect.objectContaining, expect.any…) are typed any */
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { resourcesOf, stagingConfig, synthesize } from './support.js';

// Both stacks, synthesized once for the whole file, with the real bootstrap image asset.
const { app } = synthesize(stagingConfig, webappColor, { realBootstrapImage: true });
const resources = resourcesOf(app);

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
            ProdTrafficRoute: { ListenerArns: [{ Ref: 'ProductionListener' }] },
            TestTrafficRoute: { ListenerArns: [{ Ref: 'TestListener' }] },
            TargetGroups: [
              { Name: { 'Fn::GetAtt': ['BlueTargetGroup', 'TargetGroupName'] } },
              { Name: { 'Fn::GetAtt': ['GreenTargetGroup', 'TargetGroupName'] } },
            ],
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
      expect(JSON.stringify(stats)).toContain('BlueTargetGroup');
      expect(JSON.stringify(stats)).toContain('GreenTargetGroup');
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
