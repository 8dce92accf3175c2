import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SHIP_ASSUME_ROLE_CALL } from '../src/api-calls.js';
import { assumedRoleCredentials, SHIP_ROLE_VARIABLE } from '../src/credentials.js';
import { main } from '../src/main.js';

const ROLE = 'arn:aws:iam::444455556666:role/myproject-production-promotion-deploy';
const sts = mockClient(STSClient);
afterEach(() => sts.reset());

describe('deploying as a promoted environment’s role', () => {
  it('assumes SHIP_ROLE_ARN with STS and hands the ECS client expiring credentials', async () => {
    const expiration = new Date('2026-12-02T15:00:00Z');
    // AssumeRole's answer (API reference, AssumeRole: Credentials, AssumedRoleUser).
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAEXAMPLE',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: expiration,
      },
      AssumedRoleUser: {
        AssumedRoleId: 'AROAEXAMPLE:ship',
        Arn: 'arn:aws:sts::444455556666:assumed-role/myproject-production-promotion-deploy/ship',
      },
    });
    const provide = assumedRoleCredentials(new STSClient({ region: 'us-east-2' }), ROLE);
    await expect(provide()).resolves.toEqual({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration,
    });
    const calls = sts.calls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].constructor.name).toBe(`${SHIP_ASSUME_ROLE_CALL.operation}Command`);
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: 'ship',
      DurationSeconds: 3600,
    });
  });

  it('fails when STS answers without credentials', async () => {
    sts.on(AssumeRoleCommand).resolves({});
    await expect(
      assumedRoleCredentials(new STSClient({ region: 'us-east-2' }), ROLE)(),
    ).rejects.toThrow(`AssumeRole ${ROLE} returned no credentials`);
  });

  it('exits 2 on a SHIP_ROLE_ARN that is no role ARN, naming the variable and the value', async () => {
    const err: string[] = [];
    const code = await main([], {
      env: { ECS_CLUSTER: 'c', ECS_SERVICE: 's', [SHIP_ROLE_VARIABLE]: 'production' },
      stdout: () => undefined,
      stderr: (line) => err.push(line),
    });
    expect(code).toBe(2);
    expect(err[0]).toContain('SHIP_ROLE_ARN="production": expected an IAM role ARN');
  });
});
