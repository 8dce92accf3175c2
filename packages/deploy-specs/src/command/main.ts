import { run } from './program.js';

/** Runs the CLI on process.argv and sets the exit code. */
export function main(): void {
  // A reader that stops early (`deploy-specs rules | head`) closes the pipe: end quietly, as
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
        `deploy-specs: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
