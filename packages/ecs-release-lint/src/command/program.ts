import { Command } from 'commander';
import { NAME, VERSION } from '../core/version.js';
import { addLintCommands } from './lint-commands.js';
import { runProgram, type CommandIo, type CommandStatus } from './run.js';

/** Runs `ecs-release-lint` with arguments (without node and the script); resolves to the exit code. */
export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const status: CommandStatus = { code: 0 };
  const program = new Command(NAME)
    .description(
      'Lint the files of an ECS release: appspec.yaml (CodeDeploy), buildspec.yml (CodeBuild), taskdef.json (ECS task definition) and imagedefinitions.json (CodePipeline).',
    )
    .version(VERSION)
    .addHelpText(
      'after',
      '\nExit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage error or unreadable file.',
    );
  addLintCommands(program, io, status);
  return runProgram(program, argv, io, status);
}
