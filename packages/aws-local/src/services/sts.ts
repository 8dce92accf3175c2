import type { AwsQueryOperation } from '../protocols/aws-query.js';
import { DEFAULT_ACCOUNT_ID, type AwsWorld } from '../world.js';

/**
 * STS (awsQuery, Version 2011-06-15). GetCallerIdentity:
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 * It needs no permission; it fails only without valid credentials.
 */

export const STS_VERSION = '2011-06-15';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function stsOperations(world: AwsWorld): Record<string, AwsQueryOperation> {
  return {
    GetCallerIdentity() {
      const account = world.accountId ?? DEFAULT_ACCOUNT_ID;
      return {
        UserId: 'AROAEXAMPLEROLEID:operator',
        Account: account,
        Arn: `arn:aws:sts::${account}:assumed-role/operator/operator`,
      };
    },
  };
}
