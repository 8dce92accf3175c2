import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Option, type Command } from 'commander';
import { checkFiles, UnknownKindError, type FileInput } from '../check/check-files.js';
import { formatFinding } from '../core/findings.js';
import type { DocumentKind } from '../core/rule.js';
import { githubReport } from '../report/github.js';
import { jsonReport } from '../report/json.js';
import { REPORT_FORMATS, type CheckReport, type ReportFormat } from '../report/report.js';
import { sarifReport } from '../report/sarif.js';
import { RULES, ruleCatalog } from '../rules/catalog.js';
import { EXIT, UsageError, type CommandIo, type CommandStatus } from './run.js';

const KINDS: readonly DocumentKind[] = ['appspec', 'buildspec', 'taskdef', 'imagedefinitions'];

interface ValidateOptions {
  readonly kind?: DocumentKind;
  readonly format: ReportFormat;
  readonly dockerfile?: string;
}

/**
 * Adds the linter's commands, `validate` and `rules`, to a program (this package's CLI, or
 * another that embeds them); their actions set `status.code`.
 */
export function addLintCommands(program: Command, io: CommandIo, status: CommandStatus): Command {
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
      new Option(
        '--format <format>',
        'output format: text, json, sarif (SARIF 2.1.0, for code scanning) or github (GitHub Actions annotations)',
      )
        .choices(REPORT_FORMATS)
        .default('text'),
    )
    .option(
      '--dockerfile <file>',
      "the image's Dockerfile, to check that it EXPOSEs the AppSpec's ContainerPort",
    )
    .action(async (files: string[], options: ValidateOptions) => {
      status.code = await validate(files, options, io);
    });

  program
    .command('rules')
    .description('List every rule id with one line.')
    .action(() => {
      for (const rule of ruleCatalog()) io.stdout(`${rule.id}  ${rule.summary}\n`);
    });
  return program;
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

async function validate(
  files: readonly string[],
  options: ValidateOptions,
  io: CommandIo,
): Promise<number> {
  const inputs: FileInput[] = [];
  for (const file of files) inputs.push({ file, text: await readText(io, file) });
  const dockerfile = options.dockerfile
    ? { file: options.dockerfile, text: await readText(io, options.dockerfile) }
    : undefined;
  let report: CheckReport;
  try {
    report = checkFiles(inputs, { kind: options.kind, dockerfile });
  } catch (error) {
    if (error instanceof UnknownKindError) throw new UsageError(error.message);
    throw error;
  }
  const errors = report.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = report.findings.length - errors;
  switch (options.format) {
    case 'json':
      io.stdout(jsonReport(report));
      break;
    case 'sarif':
      io.stdout(sarifReport(report, RULES));
      break;
    case 'github':
      io.stdout(githubReport(report));
      io.stderr(`${report.files.length} file(s): ${errors} error(s), ${warnings} warning(s)\n`);
      break;
    case 'text':
      for (const finding of report.findings) io.stdout(`${formatFinding(finding)}\n`);
      io.stderr(`${report.files.length} file(s): ${errors} error(s), ${warnings} warning(s)\n`);
      break;
  }
  return errors > 0 ? EXIT.invalid : EXIT.ok;
}
