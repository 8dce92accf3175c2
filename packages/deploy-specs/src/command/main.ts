import { runMain } from 'ecs-release-lint/command';
import { run } from './program.js';

/** Runs `deploy-specs` on process.argv and sets the exit code. */
export function main(): void {
  runMain(run, 'deploy-specs');
}
