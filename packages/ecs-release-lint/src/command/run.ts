import { CommanderError, type Command } from 'commander';

/** Exit codes: the only place findings become process status. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

/** What a command reads and writes: the process's streams, environment and folder, or a test's. */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** The exit code the command that ran asks for. */
export interface CommandStatus {
  code: number;
}

/** A mistake in how the command was called (a flag, a file): one line on stderr, exit 2. */
export class UsageError extends Error {}

/**
 * Parses argv with a program whose actions set `status.code`; resolves to the exit code.
 * Commander's own errors (an unknown flag, a bad choice) and UsageErrors exit 2, help exits 0.
 */
export async function runProgram(
  program: Command,
  argv: readonly string[],
  io: CommandIo,
  status: CommandStatus,
): Promise<number> {
  // Subcommands copy these settings only when they are created after them; a program that
  // embeds addLintCommands may have added them first, so each command gets them here.
  for (const command of [program, ...program.commands]) {
    command
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .showHelpAfterError('(run with --help for usage)');
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return status.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.help' ||
        error.code === 'commander.version'
        ? EXIT.ok
        : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`${program.name()}: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

/** Runs a CLI on process.argv and sets the exit code. */
export function runMain(
  run: (argv: readonly string[], io: CommandIo) => Promise<number>,
  name: string,
): void {
  // A reader that stops early (`ecs-release-lint rules | head`) closes the pipe: end quietly, as
  // the Unix tools do, instead of dying on an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  run(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      // run() reports every user error itself; anything reaching here is a bug
      // or an I/O failure: one line, and exit 2, rather than a stack trace.
      process.stderr.write(
        `${name}: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
