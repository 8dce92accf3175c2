import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { webappColor } from '../definition/webapp-color.js';
import { formatFinding, type Finding } from '../findings.js';
import { generatedFiles, staleFiles } from '../generated.js';
import { writeFilesAtomically } from '../private/atomic-write.js';
import { PACKAGE_ROOT, REPOSITORY_ROOT } from '../private/paths.js';
import { renderRelease } from '../release/render.js';
import {
  EXAMPLE_RELEASE_VALUES,
  readReleaseValues,
  ReleaseEnvironmentError,
} from '../release/values.js';
import { ruleCatalog } from '../rules/catalog.js';
import { SCHEMA_FILES } from '../schemas.js';
import type { DocumentKind } from '../rules/rule.js';
import { kindFromFileName } from '../kind.js';
import { checkFiles, UnknownKindError, type FileInput } from '../check-files.js';

/** Exit codes: the only place findings become process status. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

const KINDS: readonly DocumentKind[] = ['appspec', 'buildspec', 'taskdef', 'imagedefinitions'];

export { formatFinding, kindFromFileName };

class UsageError extends Error {}

/** Runs the CLI with arguments (without node and the script); resolves to the exit code. */
export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('deploy-specs')
    .description(
      'Validate, render and check appspec.yaml, buildspec.yaml and taskdef.json (and validate imagedefinitions.json).',
    )
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 valid (warnings allowed), 1 invalid or stale, 2 usage error or unreadable file.',
    );

  program
    .command('validate')
    .description(
      'Validate spec files. The kind comes from --kind, else the file name (appspec*.yaml|yml|json, *buildspec*.yml|yaml, *taskdef*.json, *task-definition*.json, imagedefinitions*.json), else the content. An appspec and a taskdef in the same folder are also checked together as one release (with --dockerfile, against its EXPOSE), and so are an imagedefinitions.json and a taskdef.',
    )
    .argument('<files...>', 'files to validate')
    .addOption(
      new Option('--kind <kind>', 'kind of every file, when the names do not say').choices(KINDS),
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'),
    )
    .option(
      '--dockerfile <file>',
      "the image's Dockerfile, to check that it EXPOSEs the AppSpec's ContainerPort",
    )
    .action(
      async (
        files: string[],
        options: { kind?: DocumentKind; format: 'text' | 'json'; dockerfile?: string },
      ) => {
        exitCode = await validateCommand(files, options, io);
      },
    );

  program
    .command('render')
    .description(
      'Render imageDetail.json, taskdef.json and appspec.yaml of a release from the delivery definition and the environment (the variables infra sets on CodeBuild, AWS_REGION, and the commit id: SOURCE_COMMIT_ID from the pipeline, else CODEBUILD_RESOLVED_SOURCE_VERSION). Files are validated in memory first and written atomically: on any error nothing is written.',
    )
    .requiredOption('--out <dir>', 'folder to write the files to')
    .option('--example', 'use documented example values instead of the environment')
    .option(
      '--dockerfile <file>',
      "the app's Dockerfile (default: the definition's, under the repository root)",
    )
    .action(async (options: { out: string; example?: boolean; dockerfile?: string }) => {
      exitCode = await renderCommand(options, io);
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
        exitCode = EXIT.invalid;
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

  program
    .command('rules')
    .description('List every rule id with one line.')
    .action(() => {
      for (const rule of ruleCatalog()) io.stdout(`${rule.id}  ${rule.summary}\n`);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.help' ||
        error.code === 'commander.version'
        ? EXIT.ok
        : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`deploy-specs: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

async function readText(io: CommandIo, file: string): Promise<string> {
  try {
    return await readFile(isAbsolute(file) ? file : join(io.cwd, file), 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (error as Error).message;
    throw new UsageError(`cannot read ${file}: ${reason}`);
  }
}

async function validateCommand(
  files: readonly string[],
  options: { kind?: DocumentKind; format: 'text' | 'json'; dockerfile?: string },
  io: CommandIo,
): Promise<number> {
  const inputs: FileInput[] = [];
  for (const file of files) inputs.push({ file, text: await readText(io, file) });
  const dockerfile = options.dockerfile
    ? { file: options.dockerfile, text: await readText(io, options.dockerfile) }
    : undefined;
  let checked: ReturnType<typeof checkFiles>;
  try {
    checked = checkFiles(inputs, { kind: options.kind, dockerfile });
  } catch (error) {
    if (error instanceof UnknownKindError) throw new UsageError(error.message);
    throw error;
  }
  const findings = checked.findings;
  const errors = findings.filter((finding) => finding.severity === 'error');
  const warnings = findings.filter((finding) => finding.severity === 'warning');
  if (options.format === 'json') {
    const strip = ({ path: _path, ...finding }: Finding) => finding;
    io.stdout(
      `${JSON.stringify({ valid: errors.length === 0, files: checked.files, errors: errors.map(strip), warnings: warnings.map(strip) }, null, 2)}\n`,
    );
  } else {
    for (const finding of findings) io.stdout(`${formatFinding(finding)}\n`);
    io.stderr(
      `${checked.files.length} file(s): ${errors.length} error(s), ${warnings.length} warning(s)\n`,
    );
  }
  return errors.length > 0 ? EXIT.invalid : EXIT.ok;
}

async function renderCommand(
  options: { out: string; example?: boolean; dockerfile?: string },
  io: CommandIo,
): Promise<number> {
  let values;
  try {
    values = options.example ? EXAMPLE_RELEASE_VALUES : readReleaseValues(webappColor, io.env);
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
  const rendered = renderRelease(webappColor, values, {
    dockerfile,
    imageDetail: true,
    appSpecSchemaPath: relative(out, join(PACKAGE_ROOT, SCHEMA_FILES.appspec)).split(sep).join('/'),
  });
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
