import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support.js';

/** No credentials anywhere in the SDK's default chain: no keys, no profile files, no instance role. */
beforeAll(() => {
  const empty = mkdtempSync(join(tmpdir(), 'ops-no-credentials-'));
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ]) {
    delete process.env[name];
  }
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(empty, 'credentials');
  process.env.AWS_CONFIG_FILE = join(empty, 'config');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  // Nothing is listening here: a request that got through would fail differently.
  process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
});

describe.each(['verify', 'releases'])('%s without credentials', (command) => {
  it('exits 2 and says how to provide them', async () => {
    const { code, stdout, stderr } = await runCli([command, '--env', 'staging']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^webapp-color-ops: no usable AWS credentials \(CredentialsProviderError: /,
    );
    expect(stderr).toContain('aws sso login --profile <name>');
    expect(stderr).toContain('AWS_PROFILE=<name> before the command');
    expect(stderr).toContain('AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY');
  });
});
