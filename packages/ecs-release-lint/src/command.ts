// `ecs-release-lint/command`: the CLI, and its commands for a CLI that embeds them.
export { run } from './command/program.js';
export { addLintCommands } from './command/lint-commands.js';
export {
  EXIT,
  UsageError,
  runMain,
  runProgram,
  type CommandIo,
  type CommandStatus,
} from './command/run.js';
