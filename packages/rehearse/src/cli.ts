#!/usr/bin/env node
import { run } from './program.js';

// The first Ctrl-C rolls the release back and removes what it started; a
// second one leaves at once (`pnpm rehearse down` then cleans up).
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write(
    '\ninterrupted: rolling back and removing the rehearsal (Ctrl-C again to leave now)\n',
  );
  interrupt.abort();
});
process.on('SIGTERM', () => interrupt.abort());

try {
  process.exitCode = await run(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    signal: interrupt.signal,
  });
} catch (error) {
  // Tool and usage problems are reported by run(); this is an unexpected failure.
  process.stderr.write(`rehearse: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
// autocannon and the stand-in close their sockets; leave without waiting on stray timers.
process.exit();
