/**
 * Run a deployment hook outside Lambda: the settings come from the
 * environment (as the CDK app sets them on the function), the AWS calls go
 * wherever the SDK is pointed (AWS_ENDPOINT_URL for the local stand-in),
 * the outcome is reported to CodeDeploy and printed.
 *
 *   tsx scripts/run-hook.ts --deployment-id d-ABCDEFGH1 --hook-execution-id hook-1
 *
 * Exit code 0 when the hook reported Succeeded, 1 when Failed, 2 on bad arguments.
 */
import { parseArgs } from 'node:util';
import { handler } from '@webapp-color/hooks/handler';

function readArguments(): { deploymentId: string; hookExecutionId: string } {
  const { values } = parseArgs({
    options: {
      'deployment-id': { type: 'string' },
      'hook-execution-id': { type: 'string' },
    },
    strict: true,
  });
  const deploymentId = values['deployment-id'];
  const hookExecutionId = values['hook-execution-id'];
  if (!deploymentId || !hookExecutionId) {
    throw new Error(
      `--deployment-id = ${JSON.stringify(deploymentId)} and --hook-execution-id = ${JSON.stringify(hookExecutionId)}: both are required`,
    );
  }
  return { deploymentId, hookExecutionId };
}

let args: { deploymentId: string; hookExecutionId: string };
try {
  args = readArguments();
} catch (error) {
  process.stderr.write(`run-hook: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
const result = await handler({
  DeploymentId: args.deploymentId,
  LifecycleEventHookExecutionId: args.hookExecutionId,
});
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(result.status === 'Succeeded' ? 0 : 1);
