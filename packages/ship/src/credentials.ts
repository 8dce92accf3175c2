import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';

export { SHIP_ROLE_VARIABLE } from './api-calls.js';

/** What an IAM role ARN looks like. */
export const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** The session's length: one hour, the most a chained role session may last (AssumeRole reference). */
const SESSION_SECONDS = 3600;

/**
 * A credentials provider for the ECS client that assumes `roleArn` (STS
 * AssumeRole) and says when its credentials expire, so the SDK asks again
 * before they do: a deployment with a bake time and a pause outlasts one
 * session.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function assumedRoleCredentials(sts: STSClient, roleArn: string, sessionName = 'ship') {
  return async () => {
    const answer = await sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: sessionName,
        DurationSeconds: SESSION_SECONDS,
      }),
    );
    const credentials = answer.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
      throw new Error(`AssumeRole ${roleArn} returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
    };
  };
}
