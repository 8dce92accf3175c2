import { parseArgs } from 'node:util';
import { ECSClient } from '@aws-sdk/client-ecs';
import { STSClient } from '@aws-sdk/client-sts';
import { SHIP_ROLE_VARIABLE } from './api-calls.js';
import { assumedRoleCredentials, ROLE_ARN_PATTERN } from './credentials.js';
import { readEcsRelease, ReleaseFileError } from './release-files.js';
import { ship, ShipError } from './ship.js';

/** The variables the Deploy action's CodeBuild project sets (infra/lib/constructs/release-pipeline.ts). */
export const SHIP_ENVIRONMENT = { cluster: 'ECS_CLUSTER', service: 'ECS_SERVICE' } as const;

const USAGE =
  'usage: node ship.mjs [--release-dir <dir>] [--cluster <name>] [--service <name>] [--poll-seconds <n>]\n' +
  `  --cluster and --service default to $${SHIP_ENVIRONMENT.cluster} and $${SHIP_ENVIRONMENT.service}; --release-dir to the current folder.\n` +
  '  $SHIP_ROLE_ARN, when set: the role every ECS call runs as (assumed with STS, renewed before it expires).\n' +
  'Exit codes: 0 the deployment succeeded; 1 it failed or rolled back, or a release file is unusable; 2 usage error.';

export interface MainIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly ecs?: ECSClient;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Runs the program; resolves to its exit code. */
export async function main(argv: readonly string[], io: MainIo): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        'release-dir': { type: 'string', default: '.' },
        cluster: { type: 'string' },
        service: { type: 'string' },
        'poll-seconds': { type: 'string', default: '15' },
        help: { type: 'boolean' },
      },
      strict: true,
    }).values;
  } catch (error) {
    io.stderr(`ship: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const cluster = values.cluster ?? io.env[SHIP_ENVIRONMENT.cluster]?.trim();
  const service = values.service ?? io.env[SHIP_ENVIRONMENT.service]?.trim();
  const pollSeconds = Number(values['poll-seconds']);
  const usage: string[] = [];
  if (!cluster) usage.push(`no cluster: pass --cluster or set ${SHIP_ENVIRONMENT.cluster}`);
  if (!service) usage.push(`no service: pass --service or set ${SHIP_ENVIRONMENT.service}`);
  if (!Number.isInteger(pollSeconds) || pollSeconds < 1 || pollSeconds > 300) {
    usage.push(
      `--poll-seconds ${JSON.stringify(values['poll-seconds'])}: expected a whole number of seconds from 1 to 300`,
    );
  }
  const roleArn = io.env[SHIP_ROLE_VARIABLE]?.trim() || undefined;
  if (roleArn !== undefined && !ROLE_ARN_PATTERN.test(roleArn)) {
    usage.push(
      `${SHIP_ROLE_VARIABLE}=${JSON.stringify(roleArn)}: expected an IAM role ARN (arn:aws:iam::<account>:role/<name>) or nothing`,
    );
  }
  if (usage.length > 0 || !cluster || !service) {
    io.stderr(`ship: ${usage.join('; ')}\n${USAGE}`);
    return 2;
  }
  try {
    const release = await readEcsRelease(values['release-dir']);
    const result = await ship({
      ecs:
        io.ecs ??
        new ECSClient(
          roleArn === undefined
            ? {}
            : { credentials: assumedRoleCredentials(new STSClient({}), roleArn) },
        ),
      cluster,
      service,
      release,
      pollIntervalMs: pollSeconds * 1000,
      ...(io.sleep ? { sleep: io.sleep } : {}),
      log: (line) => io.stdout(`ship: ${line}`),
    });
    io.stdout(
      `ship: ${result.deployment ? `${result.deployment.arn} SUCCESSFUL` : 'nothing to deploy'}: service ${service} runs ${result.taskDefinitionArn}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ReleaseFileError || error instanceof ShipError) {
      io.stderr(`ship: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

// Run as the bundle (node ship.mjs …), not when a test imports the module.
if (process.argv[1] && /ship\.mjs$/.test(process.argv[1])) {
  main(process.argv.slice(2), {
    env: process.env,
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `ship: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
