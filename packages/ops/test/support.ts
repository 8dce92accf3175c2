import type { AwsStandIn } from '@webapp-color/aws-local';
import { main } from '../src/index.js';

/** Point the SDK's default chain at the stand-in, with dummy credentials, the way a user sets AWS_PROFILE. */
export function useStandIn(aws: AwsStandIn): void {
  process.env.AWS_ENDPOINT_URL = aws.endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'AKIDLOCALSTANDIN';
  process.env.AWS_SECRET_ACCESS_KEY = 'local-stand-in-secret';
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

/** Run the CLI in-process; what it would print and its exit code. */
export async function runCli(
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}
