import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Command } from 'commander';
import {
  addLintCommands,
  EXIT,
  runProgram,
  UsageError,
  type CommandIo,
  type CommandStatus,
} from 'ecs-release-lint/command';
import { formatFinding } from 'ecs-release-lint/validate';
import { SCHEMA_FILES } from 'ecs-release-lint/schemas';
import { webappColor } from '../definition/webapp-color.js';
import { generatedFiles, staleFiles } from '../generated.js';
import { writeFilesAtomically } from '../private/atomic-write.js';
import { LINTER_PATH, REPOSITORY_ROOT } from '../private/paths.js';
import {
  PROMOTED_RELEASES_VARIABLE,
  readPromotedReleases,
  renderPromotedRelease,
} from '../release/promotion.js';
import { renderEcsRelease, renderRelease, type ReleaseRender } from '../release/render.js';
import {
  DEPLOYMENT_CONTROLLER_VARIABLE,
  EXAMPLE_ECS_RELEASE_VALUES,
  EXAMPLE_RELEASE_VALUES,
  IMAGE_DIGEST_VARIABLE,
  readBuildImage,
  readEcsReleaseValues,
  readReleaseController,
  readReleaseValues,
  ReleaseEnvironmentError,
} from '../release/values.js';

export { EXIT, type CommandIo };

/**
 * Runs `deploy-specs` with arguments (without node and the script); resolves to the exit code.
 * `validate` and `rules` are the linter's own commands (ecs-release-lint); `render`, `check`
 * and `generate` are the delivery's.
 */
export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const status: CommandStatus = { code: EXIT.ok };
  const program = new Command('deploy-specs')
    .description(
      "Render and check webapp-color's release files (appspec.yaml, taskdef.json, imageDetail.json, buildspec.yaml), and validate spec files with ecs-release-lint.",
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 valid (warnings allowed), 1 invalid or stale, 2 usage error or unreadable file.',
    );
  addLintCommands(program, io, status);

  program
    .command('render')
    .description(
      `Render the release files of the controller ${DEPLOYMENT_CONTROLLER_VARIABLE} names (codedeploy, the default: imageDetail.json, taskdef.json and appspec.yaml; ecs: taskdef.json with the image by digest from ${IMAGE_DIGEST_VARIABLE}, and imagedefinitions.json) from the delivery definition and the environment (the variables infra sets on CodeBuild, AWS_REGION, and the commit id: SOURCE_COMMIT_ID from the pipeline, else CODEBUILD_RESOLVED_SOURCE_VERSION). Files are validated in memory first and written atomically: on any error nothing is written.`,
    )
    .requiredOption('--out <dir>', 'folder to write the files to')
    .option('--example', 'use documented example values instead of the environment')
    .option(
      '--dockerfile <file>',
      "the app's Dockerfile (default: the definition's, under the repository root)",
    )
    .option(
      '--promoted',
      `render the release files of every environment ${PROMOTED_RELEASES_VARIABLE} names instead, each into <out>/<environment>/, the image by the digest ${IMAGE_DIGEST_VARIABLE}`,
    )
    .action(
      async (options: {
        out: string;
        example?: boolean;
        dockerfile?: string;
        promoted?: boolean;
      }) => {
        status.code = await renderCommand(options, io);
      },
    );

  program
    .command('promoted-repositories')
    .description(
      `Print "<region> <repository URI> <environment>" for each environment ${PROMOTED_RELEASES_VARIABLE} names (the build pushes the image to each), one a line.`,
    )
    .action(() => {
      try {
        for (const release of readPromotedReleases(webappColor, io.env)) {
          io.stdout(
            `${release.region} ${release.values.imageRepositoryUri ?? ''} ${release.environment}\n`,
          );
        }
      } catch (error) {
        if (!(error instanceof ReleaseEnvironmentError)) throw error;
        io.stderr(`deploy-specs promoted-repositories: ${error.message}\n`);
        status.code = EXIT.invalid;
      }
    });

  program
    .command('check')
    .description(
      'Fail with a diff when a committed generated file (buildspec.yaml, JSON Schemas, example release) is stale.',
    )
    .option('--root <dir>', 'repository root', REPOSITORY_ROOT)
    .action(async (options: { root: string }) => {
      const stale = await staleFiles(resolve(io.cwd, options.root));
      for (const file of stale) io.stdout(`${file.diff}\n`);
      if (stale.length > 0) {
        io.stderr(
          `deploy-specs check: ${stale.length} generated file(s) are stale: ${stale.map((file) => file.path).join(', ')}\nRun "pnpm specs generate" and commit the result.\n`,
        );
        status.code = EXIT.invalid;
      } else {
        io.stderr(
          `deploy-specs check: ${generatedFiles().length} generated files are up to date\n`,
        );
      }
    });

  program
    .command('generate')
    .description(
      'Write the committed generated files (buildspec.yaml, JSON Schemas, example release).',
    )
    .option('--root <dir>', 'repository root', REPOSITORY_ROOT)
    .action(async (options: { root: string }) => {
      const root = resolve(io.cwd, options.root);
      const written = await writeFilesAtomically(
        root,
        generatedFiles().map((file) => ({ name: file.path, content: file.content })),
      );
      io.stderr(`deploy-specs generate: wrote ${written.length} files\n`);
    });

  return runProgram(program, argv, io, status);
}

async function renderCommand(
  options: { out: string; example?: boolean; dockerfile?: string; promoted?: boolean },
  io: CommandIo,
): Promise<number> {
  let render: (
    dockerfile: { file: string; text: string } | undefined,
    out: string,
  ) => ReleaseRender;
  try {
    if (options.promoted) {
      if (options.example) throw new UsageError('--promoted and --example cannot be combined');
      const releases = readPromotedReleases(webappColor, io.env);
      // The commit and digest the root render read, by the same reader.
      const { commitId, imageDigest } = readBuildImage(webappColor, io.env);
      render = (dockerfile) => {
        const each = releases.map((release) =>
          renderPromotedRelease(webappColor, release, { commitId, imageDigest }, { dockerfile }),
        );
        return {
          files: each.flatMap((one) => one.files),
          errors: each.flatMap((one) => one.errors),
          warnings: each.flatMap((one) => one.warnings),
        };
      };
    } else {
      const controller = readReleaseController(io.env);
      if (controller === 'ecs') {
        const values = options.example
          ? EXAMPLE_ECS_RELEASE_VALUES
          : readEcsReleaseValues(webappColor, io.env);
        render = (dockerfile) => renderEcsRelease(webappColor, values, { dockerfile });
      } else {
        const values = options.example
          ? EXAMPLE_RELEASE_VALUES
          : readReleaseValues(webappColor, io.env);
        render = (dockerfile, out) =>
          renderRelease(webappColor, values, {
            dockerfile,
            imageDetail: true,
            appSpecSchemaPath: relative(
              out,
              join(REPOSITORY_ROOT, LINTER_PATH, SCHEMA_FILES.appspec),
            )
              .split(sep)
              .join('/'),
          });
      }
    }
  } catch (error) {
    if (error instanceof ReleaseEnvironmentError) {
      io.stderr(`deploy-specs render: ${error.message}\nNothing was written.\n`);
      return EXIT.invalid;
    }
    throw error;
  }
  const dockerfilePath = options.dockerfile ?? join(REPOSITORY_ROOT, webappColor.app.dockerfile);
  let dockerfile: { file: string; text: string } | undefined;
  try {
    dockerfile = {
      file: options.dockerfile ?? webappColor.app.dockerfile,
      text: await readFile(
        isAbsolute(dockerfilePath) ? dockerfilePath : join(io.cwd, dockerfilePath),
        'utf8',
      ),
    };
  } catch {
    if (options.dockerfile) throw new UsageError(`cannot read ${options.dockerfile}: no such file`);
    io.stderr(
      `deploy-specs render: warning: ${webappColor.app.dockerfile} not found; the EXPOSE check is skipped\n`,
    );
  }
  const out = resolve(io.cwd, options.out);
  const rendered = render(dockerfile, out);
  for (const finding of [...rendered.errors, ...rendered.warnings])
    io.stderr(`${formatFinding(finding)}\n`);
  if (rendered.errors.length > 0) {
    io.stderr(
      `deploy-specs render: the rendered release is invalid (${rendered.errors.length} error(s)); nothing was written\n`,
    );
    return EXIT.invalid;
  }
  let written: string[];
  try {
    written = await writeFilesAtomically(out, rendered.files);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const reason =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? 'it is a file, not a folder'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? 'permission denied'
          : message;
    throw new UsageError(
      `--out ${options.out}: cannot write there (${reason}); expected a folder that can be created or written. Nothing was written.`,
    );
  }
  io.stderr(`deploy-specs render: wrote ${written.join(', ')}\n`);
  return EXIT.ok;
}
