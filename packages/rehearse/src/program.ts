import { rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { detectEngine, ENGINE_NAMES, MissingToolError, type EngineName } from './engine.js';
import { readState, rehearsalEnvironment, tearDown } from './environment.js';
import { FAULTS, type Fault } from './faults.js';
import { answerGate, NoGateWaitingError, type GateDecision } from './gates.js';
import type { RehearsalRecording } from './load-series.js';
import { UsageError } from './preflight.js';
import { rehearse } from './rehearsal.js';
import { renderReport } from './report/render.js';
import { DEPLOYMENT_CONTROLLERS, parseController, parseStrategy } from './settings.js';
import { formatSummary } from './summary.js';

/** Exit codes: succeeded, rolled back, bad usage or a missing tool. */
export const EXIT = { succeeded: 0, rolledBack: 1, usage: 2 } as const;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Aborted by the first Ctrl-C. */
  readonly signal?: AbortSignal;
}

/** The repository this package lives in. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function integer(flag: string, min: number, max: number) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(
        `${flag} ${JSON.stringify(value)}: expected a whole number from ${min} to ${max}`,
      );
    }
    return parsed;
  };
}

/** Runs the CLI with arguments (without node and the script); resolves to the exit code. */
export async function run(
  argv: readonly string[],
  io: CliIo,
  /** The checkout whose rehearsal `continue`, `rollback` and `down` act on. */
  repositoryRoot: string = REPOSITORY_ROOT,
): Promise<number> {
  let exitCode: number = EXIT.succeeded;
  const program = new Command('rehearse')
    .description(
      'Rehearse a blue/green release of the working tree on this machine: the real image, task definition, hooks and a real proxy, the AWS control plane stood in.',
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 succeeded, 1 rolled back or rejected at the approval, 2 bad usage or a missing tool (podman or docker, haproxy, openssl); `continue` and `rollback`: 2 when no rehearsal waits at a gate.',
    );

  program
    .option('--json', 'end stdout with one JSON object (progress goes to stderr)')
    .option(
      '--report <file>',
      'also write the release report there: one self-contained HTML page with charts (e.g. /tmp/r.html)',
    )
    .addOption(
      new Option('--fault <fault>', 'inject a failure without changing the app').choices(FAULTS),
    )
    .option(
      '--color <color>',
      "the baseline's color where nothing runs yet (default: one other than the definition's, which the release shows)",
    )
    .option(
      '--strategy <config>',
      'all-at-once, canary:<percent>:<minutes> or linear:<percent>:<minutes> (default: the infra configuration)',
    )
    .option(
      '--real-timings',
      'wait the configured minutes (termination wait, shift intervals, deregistration delay, hook budget) instead of a second per minute',
    )
    .option('--keep', 'leave the environment up after a successful release (see `down`)')
    .option(
      '--approve',
      'answer every gate of the environment at once: its approval (promotion.approval) and its pause (deployment.pause) continue; without it a gate waits for `continue` or `rollback` from another terminal, or its timeout',
    )
    .option(
      '--env <name>',
      'the infra environment to rehearse (its config file name; default: staging, or with --controller the first environment on it)',
    )
    .option(
      '--controller <controller>',
      `what drives the release: ${DEPLOYMENT_CONTROLLERS.join(' or ')} (default: the environment's deployment.controller)`,
    )
    .addOption(
      new Option('--engine <engine>', 'container engine (default: whichever answers)').choices(
        ENGINE_NAMES,
      ),
    )
    .option(
      '--port <port>',
      'production listener port on 127.0.0.1 (default: a free one)',
      integer('--port', 1024, 65535),
    )
    .option(
      '--rate <rps>',
      'load: requests per second on the production listener',
      integer('--rate', 1, 10_000),
      50,
    )
    .action(
      async (flags: {
        json?: boolean;
        report?: string;
        fault?: Fault;
        color?: string;
        strategy?: string;
        realTimings?: boolean;
        keep?: boolean;
        approve?: boolean;
        env?: string;
        controller?: string;
        engine?: EngineName;
        port?: number;
        rate: number;
      }) => {
        const progress = (line: string) => (flags.json ? io.stderr : io.stdout)(`${line}\n`);
        const report = flags.report === undefined ? undefined : await reportTarget(flags.report);
        const recording: RehearsalRecording = { traffic: [], load: [] };
        const summary = await rehearseOrReport(flags.json === true, io, {
          repoRoot: REPOSITORY_ROOT,
          definition: webappColor,
          ...(flags.env === undefined ? {} : { infraEnvironment: flags.env }),
          ...(flags.controller === undefined
            ? {}
            : { controller: usage(() => parseController(flags.controller!)) }),
          color: flags.color,
          fault: flags.fault,
          realTimings: flags.realTimings ?? false,
          keep: flags.keep ?? false,
          approve: flags.approve ?? false,
          strategy: flags.strategy === undefined ? undefined : parseStrategyFlag(flags.strategy),
          rate: flags.rate,
          engine: flags.engine,
          productionPort: flags.port,
          signal: io.signal,
          progress,
          recording,
        });
        if (report) {
          await writeAtomically(report, await renderReport({ summary, ...recording }));
          progress(`Report     ${report}`);
        }
        for (const line of formatSummary(summary)) progress(line);
        if (flags.json) io.stdout(`${JSON.stringify(summary)}\n`);
        exitCode = summary.outcome === 'succeeded' ? EXIT.succeeded : EXIT.rolledBack;
      },
    );

  program
    .command('down')
    .description(
      'remove every container and process a rehearsal started (a kept environment included)',
    )
    .addOption(new Option('--engine <engine>', 'container engine').choices(ENGINE_NAMES))
    .action(async (flags: { engine?: EngineName }) => {
      const environment = rehearsalEnvironment(repositoryRoot);
      const state = await readState(environment);
      const engine = await detectEngine({
        prefer: flags.engine ?? (state?.engine as EngineName | undefined),
      }).catch(() => undefined);
      const removed = await tearDown(engine, environment);
      io.stdout(removed.length ? `removed ${removed.join(', ')}\n` : 'nothing to remove\n');
    });

  for (const [decision, says] of [
    [
      'continue',
      'continue the gate a rehearsal waits at in another terminal (approve the release; continue the pause)',
    ],
    [
      'rollback',
      'answer the gate a rehearsal waits at with rollback (reject the approval: no release; roll the paused deployment back)',
    ],
  ] as const satisfies readonly (readonly [GateDecision, string])[]) {
    program
      .command(decision)
      .description(says)
      .action(async () => {
        const environment = rehearsalEnvironment(repositoryRoot);
        const gate = await answerGate(environment.directory, decision);
        io.stdout(
          `${decision}: ${gate.kind === 'approval' ? `approval before ${gate.before}` : `pause at ${gate.stage ?? '?'}`} of the rehearsal (pid ${gate.pid}), waiting since ${gate.started}\n`,
        );
      });
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? EXIT.succeeded : EXIT.usage;
    }
    if (
      error instanceof UsageError ||
      error instanceof MissingToolError ||
      error instanceof NoGateWaitingError
    ) {
      io.stderr(`rehearse: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof ReportedFailure) return EXIT.rolledBack;
    throw error;
  }
}

/**
 * A failure before the release could start (the build, the render) still
 * ends a `--json` stdout with one object, outcome `failed`, then exits 1.
 */
async function rehearseOrReport(json: boolean, io: CliIo, options: Parameters<typeof rehearse>[0]) {
  try {
    return await rehearse(options);
  } catch (error) {
    if (error instanceof UsageError || error instanceof MissingToolError || !json) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    io.stderr(`rehearse: ${reason}\n`);
    io.stdout(
      `${JSON.stringify({ outcome: 'failed', reason, requests: 0, failedRequests: 0, events: [], environmentKey: rehearsalEnvironment(options.repoRoot).key })}\n`,
    );
    throw new ReportedFailure();
  }
}

/** The failure is already on stdout and stderr. */
class ReportedFailure extends Error {}

function parseStrategyFlag(text: string) {
  return usage(() => parseStrategy(text));
}

/** A flag's parse error as a usage error (exit code 2). */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The report's path, absolute, once its folder is known to exist (checked before the rehearsal runs). */
async function reportTarget(file: string): Promise<string> {
  const path = resolve(file);
  const folder = await stat(dirname(path)).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new UsageError(
      `--report ${JSON.stringify(file)}: the folder ${dirname(path)} does not exist; give a file in an existing folder, e.g. /tmp/rehearsal.html`,
    );
  }
  if ((await stat(path).catch(() => undefined))?.isDirectory()) {
    throw new UsageError(
      `--report ${JSON.stringify(file)}: is a folder; give a file name, e.g. ${join(path, 'rehearsal.html')}`,
    );
  }
  return path;
}

/** Writes next to the target, then renames: a reader never sees half a page. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
