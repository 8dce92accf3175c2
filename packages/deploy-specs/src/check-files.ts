import { dirname } from 'node:path';
import type { Finding } from './findings.js';
import { kindFromContent, kindFromFileName } from './kind.js';
import { parseSource } from './parse/source.js';
import { checkRelease } from './rules/release.js';
import type { DocumentKind } from './rules/rule.js';
import { checkSource, defaultSyntax, type CheckedDocument } from './validate.js';

/** A file to check: its name as given and its text. */
export interface FileInput {
  readonly file: string;
  readonly text: string;
}

export interface CheckFilesOptions {
  /** The kind of every file, when the names and contents do not say. */
  readonly kind?: DocumentKind;
  /** The image's Dockerfile, for RELEASE_DOCKERFILE_EXPOSE. */
  readonly dockerfile?: FileInput;
}

/** Thrown when neither --kind, nor the name, nor the content tells what a file is. */
export class UnknownKindError extends Error {
  constructor(readonly file: string) {
    super(
      `cannot tell the kind of ${file} from its name or its content (expected appspec*.yaml|yml|json, *buildspec*.yml|yaml, *taskdef*.json or *task-definition*.json, or a document with Resources, phases or containerDefinitions); pass --kind appspec|buildspec|taskdef`,
    );
  }
}

/**
 * What `deploy-specs validate` does: each file alone, then the files of one
 * release (an appspec with the taskdef, buildspec and Dockerfile of its folder)
 * together. Findings are sorted by file, line and column.
 */
export function checkFiles(
  files: readonly FileInput[],
  options: CheckFilesOptions = {},
): { readonly files: { file: string; kind: DocumentKind }[]; readonly findings: Finding[] } {
  const checked: CheckedDocument[] = [];
  const releaseMembers: CheckedDocument[] = [];
  for (const { file, text } of files) {
    const named = options.kind ?? kindFromFileName(file);
    const source = parseSource(file, text, defaultSyntax(named, file, text));
    const kind = named ?? kindFromContent(source.value);
    if (!kind) throw new UnknownKindError(file);
    const document = checkSource(kind, source);
    checked.push(document);
    // A file told apart only by its content is not known to be one the pipeline reads
    // (CodeDeployToECS finds the release's files by name), so it is checked alone.
    if (named) releaseMembers.push(document);
  }
  const findings: Finding[] = checked.flatMap((document) => [
    ...document.result.errors,
    ...document.result.warnings,
  ]);
  const dockerfile = options.dockerfile
    ? { file: options.dockerfile.file, text: options.dockerfile.text }
    : undefined;
  // The files of one release sit in one folder (the build artifact).
  for (const folder of new Set(releaseMembers.map((document) => dirname(document.source.file)))) {
    const only = (kind: DocumentKind) => {
      const matching = releaseMembers.filter(
        (document) => document.kind === kind && dirname(document.source.file) === folder,
      );
      return matching.length === 1 ? matching[0]!.source : undefined;
    };
    if (only('appspec') && (only('taskdef') || dockerfile)) {
      findings.push(
        ...checkRelease({
          taskdef: only('taskdef'),
          appspec: only('appspec'),
          buildspec: only('taskdef') ? only('buildspec') : undefined,
          dockerfile,
        }),
      );
    }
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { files: checked.map(({ kind, source }) => ({ file: source.file, kind })), findings };
}
