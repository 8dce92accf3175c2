import { run } from './program.js';
import { runMain } from './run.js';

/** Runs `ecs-release-lint` on process.argv and sets the exit code. */
export function main(): void {
  runMain(run, 'ecs-release-lint');
}
