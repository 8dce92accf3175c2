import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { AwsServiceError } from '../protocols/errors.js';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION, type AwsWorld } from '../world.js';

/**
 * Lambda (restJson1): `GET /2015-03-31/functions/{FunctionName}/configuration`,
 * GetFunctionConfiguration. Shape: the SDK's `FunctionConfiguration` and
 * the API reference
 * https://docs.aws.amazon.com/lambda/latest/api/API_GetFunctionConfiguration.html
 * (`LastModified` is a string such as `2026-01-05T09:10:00.000+0000`, not a
 * timestamp). FunctionName may be a name or an ARN; an unknown function is
 * `ResourceNotFoundException` (404) "Function not found: <arn>".
 */

export const LAMBDA_CONFIGURATION_PATH = /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/;

export function getFunctionConfiguration(
  world: AwsWorld,
  nameOrArn: string,
): FunctionConfiguration {
  const requested = decodeURIComponent(nameOrArn);
  const name = requested.startsWith('arn:') ? (requested.split(':')[6] ?? requested) : requested;
  const arn = `arn:aws:lambda:${world.region ?? DEFAULT_REGION}:${world.accountId ?? DEFAULT_ACCOUNT_ID}:function:${name}`;
  const found = (world.functions ?? []).find((f) => f.FunctionName === name);
  if (!found)
    throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
  return {
    FunctionArn: arn,
    Version: '$LATEST',
    LastModified: '2026-01-05T09:10:00.000+0000',
    PackageType: 'Zip',
    State: 'Active',
    LastUpdateStatus: 'Successful',
    ...found,
  };
}
