import { Command, CommanderError, Option } from 'commander';
import { createClients, describeError, destroyClients } from './aws.js';
import { resolveEnvironment } from './environment.js';
import { releasesReportJson, renderReleasesReport } from './releases/render.js';
import { releases } from './releases/run.js';
import { parseSince } from './releases/window.js';
import { EXIT, NoCredentialsError, UsageError } from './usage.js';
import { renderVerifyReport, verify } from './verify/run.js';

export interface ProgramIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: ProgramIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

interface CommonOptions {
  readonly env?: string;
  readonly json?: boolean;
}

/** Turn what a command threw into its exit code, in one place. */
function exitCodeFor(error: unknown, io: ProgramIo): number {
  if (error instanceof UsageError || error instanceof NoCredentialsError) {
    io.stderr(`webapp-color-ops: ${error.message}\n`);
    return EXIT.usage;
  }
  io.stderr(`webapp-color-ops: ${describeError(error)}\n`);
  return EXIT.failed;
}

/**
 * `verify` and `releases`. Resolves to the exit code: 0 all passed (or the
 * report written), 1 a check failed (or the history could not be read),
 * 2 bad usage or no credentials.
 */
export async function main(argv: readonly string[], io: ProgramIo = processIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const progress = (line: string) => io.stderr(`${line}\n`);
  const program = new Command('webapp-color-ops')
    .description('Read-only checks and release history of a deployed webapp-color environment.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  AWS_PROFILE=staging pnpm verify --env staging\n' +
        '  AWS_PROFILE=staging pnpm releases --env staging --since 30d --json',
    );

  const envOption = () =>
    new Option('--env <name>', 'the environment (infra/config/<name>.ts), e.g. staging');

  program
    .command('verify')
    .description(
      'Check the deployed environment with read-only calls: one line per item a real account confirms.',
    )
    .addOption(envOption())
    .option('--json', 'print the results as JSON (for scripts)')
    .addHelpText(
      'after',
      '\nExample:\n  AWS_PROFILE=staging pnpm verify --env staging\n\n' +
        'Exit codes: 0 every check passed, 1 a check failed, 2 bad usage or no credentials.\n' +
        'Credentials: the AWS SDK default chain (AWS_PROFILE after `aws sso login`, environment keys, a role).',
    )
    .action(async (options: CommonOptions) => {
      const environment = resolveEnvironment(options.env);
      const clients = createClients(environment.region);
      try {
        const report = await verify(environment, clients, progress);
        io.stdout(
          options.json ? `${JSON.stringify(report, null, 2)}\n` : renderVerifyReport(report),
        );
        exitCode = report.ok ? EXIT.ok : EXIT.failed;
      } finally {
        destroyClients(clients);
      }
    });

  program
    .command('releases')
    .description(
      'List recent releases (pipeline executions and their deployments; ECS service deployments on the ECS controller) and the four DORA figures.',
    )
    .addOption(envOption())
    .option('--since <window>', 'how far back: <n>h, <n>d or <n>w', '30d')
    .option('--json', 'print the releases and figures as JSON (for scripts)')
    .addHelpText(
      'after',
      '\nExample:\n  AWS_PROFILE=staging pnpm releases --env staging --since 8w\n\n' +
        'Exit codes: 0 report written, 1 the history could not be read, 2 bad usage or no credentials.',
    )
    .action(async (options: CommonOptions & { since: string }) => {
      const environment = resolveEnvironment(options.env);
      const window = parseSince(options.since);
      const clients = createClients(environment.region);
      try {
        const report = await releases(environment, clients, window, progress);
        io.stdout(
          options.json
            ? `${JSON.stringify(releasesReportJson(report), null, 2)}\n`
            : renderReleasesReport(report),
        );
      } finally {
        destroyClients(clients);
      }
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return exitCodeFor(error, io);
  }
  return exitCode;
}
