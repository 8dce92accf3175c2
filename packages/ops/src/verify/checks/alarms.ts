import { DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { physicalIds } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/**
 * The rollback alarms (infra/lib/constructs/rollback-alarms.ts) exist and
 * none is in ALARM: an alarm in ALARM stops and rolls back every deployment.
 */
export const alarmsCheck: Check = {
  id: 'rollback-alarms',
  title: 'rollback alarms present and not in ALARM',
  async run({ clients, app }) {
    const names = physicalIds(app, 'AWS::CloudWatch::Alarm');
    if (names.length === 0) {
      return fail(`stack ${app.name} has no alarms`, 'deploy the current CDK app');
    }
    const alarms: MetricAlarm[] = [];
    // DescribeAlarms takes at most 100 names per call.
    for (let i = 0; i < names.length; i += 100) {
      let nextToken: string | undefined;
      do {
        const page = await clients.cloudwatch.send(
          new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100), NextToken: nextToken }),
        );
        alarms.push(...(page.MetricAlarms ?? []));
        nextToken = page.NextToken;
      } while (nextToken);
    }
    const missing = names.filter((name) => !alarms.some((a) => a.AlarmName === name));
    const firing = alarms.filter((a) => a.StateValue === 'ALARM');
    if (missing.length > 0 || firing.length > 0) {
      return fail(
        [
          ...missing.map((name) => `${name} missing`),
          ...firing.map((a) => `${a.AlarmName} in ALARM (${a.StateReason ?? 'no reason'})`),
        ].join('; '),
        missing.length > 0
          ? 'deploy the app stack to recreate the missing alarms'
          : "an alarm in ALARM rolls back any deployment: find the cause (5xx, unhealthy targets, latency) in the target groups' metrics before releasing",
      );
    }
    const states = alarms.map((a) => a.StateValue ?? 'unknown');
    return pass(
      `${alarms.length} alarms: ${[...new Set(states)].map((s) => `${states.filter((x) => x === s).length} ${s}`).join(', ')}`,
    );
  },
};
