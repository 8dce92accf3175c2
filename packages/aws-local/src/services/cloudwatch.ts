import type { DescribeAlarmsOutput, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { JsonOperation } from '../protocols/json.js';
import { page, pageSize } from '../protocols/paging.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, type AwsWorld } from '../world.js';

/**
 * CloudWatch: awsJson1_0 (`X-Amz-Target: GraniteServiceVersion20100801.<Op>`)
 * in the SDK of the catalog (client-cloudwatch 3.1162; the service moved
 * from awsQuery and keeps the awsQueryCompatible trait, so errors also carry
 * `x-amzn-query-error`). DescribeAlarms, shape from the SDK's output type
 * and the API reference:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
 * Names that match no alarm are left out, not an error; pages of 50 by
 * default (MaxRecords up to 100).
 */

export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801';

export function cloudWatchOperations(world: AwsWorld): Record<string, JsonOperation> {
  return {
    DescribeAlarms(input): DescribeAlarmsOutput {
      const names = Array.isArray(input.AlarmNames) ? input.AlarmNames.map(String) : undefined;
      const prefix = typeof input.AlarmNamePrefix === 'string' ? input.AlarmNamePrefix : undefined;
      const state = typeof input.StateValue === 'string' ? input.StateValue : undefined;
      const selected: MetricAlarm[] = (world.alarms ?? [])
        .filter((a) => names === undefined || names.includes(a.AlarmName ?? ''))
        .filter((a) => prefix === undefined || (a.AlarmName ?? '').startsWith(prefix))
        .filter((a) => state === undefined || a.StateValue === state)
        .sort((a, b) => (a.AlarmName ?? '').localeCompare(b.AlarmName ?? ''))
        .map((a) => ({
          AlarmArn: `arn:aws:cloudwatch:${world.region ?? DEFAULT_REGION}:${world.accountId ?? DEFAULT_ACCOUNT_ID}:alarm:${a.AlarmName}`,
          ActionsEnabled: true,
          OKActions: [],
          AlarmActions: [],
          InsufficientDataActions: [],
          StateReason: `Threshold Crossed: no datapoints were received for 2 periods`,
          StateUpdatedTimestamp: new Date('2026-01-05T09:20:00.000Z'),
          ...a,
        }));
      const { items, next } = page(
        selected,
        input.NextToken,
        pageSize(input.MaxRecords, 50, 100, 'InvalidParameterValue'),
        'InvalidNextToken',
      );
      return { MetricAlarms: items, CompositeAlarms: [], NextToken: next };
    },
  };
}
