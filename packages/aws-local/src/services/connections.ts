import type { GetConnectionOutput } from '@aws-sdk/client-codestar-connections';
import { AwsServiceError } from '../protocols/errors.js';
import type { JsonOperation } from '../protocols/json.js';
import { DEFAULT_ACCOUNT_ID, type AwsWorld } from '../world.js';

/**
 * CodeStar Connections (awsJson1_0, `X-Amz-Target:
 * CodeStar_connections_20191201.<Op>`). GetConnection, shape from the SDK's
 * output type and the API reference:
 * https://docs.aws.amazon.com/codestar-connections/latest/APIReference/API_GetConnection.html
 * A connection made by CloudFormation is PENDING until someone completes the
 * handshake in the console; an unknown ARN is `ResourceNotFoundException`.
 */

export const CONNECTIONS_TARGET_PREFIX = 'CodeStar_connections_20191201';

export function connectionsOperations(world: AwsWorld): Record<string, JsonOperation> {
  return {
    GetConnection(input): GetConnectionOutput {
      const arn = input.ConnectionArn;
      const found = (world.connections ?? []).find((c) => c.connectionArn === arn);
      if (!found) {
        throw new AwsServiceError(
          'ResourceNotFoundException',
          `Connection ${String(arn)} not found`,
        );
      }
      return {
        Connection: {
          ConnectionName: found.connectionName,
          ConnectionArn: found.connectionArn,
          ProviderType: found.providerType ?? 'GitHub',
          OwnerAccountId: world.accountId ?? DEFAULT_ACCOUNT_ID,
          ConnectionStatus: found.connectionStatus,
        },
      };
    },
  };
}
