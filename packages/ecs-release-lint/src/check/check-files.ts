import { dirname } from 'node:path';
import type { Finding } from '../core/findings.js';
import { foreignAppSpecKeys, kindFromContent, kindFromFileName, kindFromFolders } from './kind.js';
import { parseSource, type ParsedSource } from '../parse/source.js';
import { checkRelease } from './release.js';
import type { DocumentKind } from '../core/rule.js';
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

/**
 * Thrown when neither --kind, nor the name, nor the content, nor the folders
 * tell what a file is, or when a file named like an AppSpec plainly is not one.
 */
export class UnknownKindError extends Error {
  constructor(
    readonly file: string,
    foreignKeys: readonly string[] = [],
  ) {
    super(
      foreignKeys.length > 0
        ? `cannot tell the kind of ${file}: it is named like an AppSpec but is not a CodeDeploy AppSpec (it has none of version, Resources, Hooks, and has ${foreignKeys.slice(0, 5).join(', ')}, which an AppSpec does not); pass --kind appspec to check it as one anyway`
        : `cannot tell the kind of ${file} from its name, its content or its folders (expected appspec*.yaml|yml|json, *buildspec*.yml|yaml, *taskdef*.json, *task-definition*.json or imagedefinitions*.json, YAML under a codebuild/ folder, JSON under a task_definitions/ folder, or a document with Resources, phases or containerDefinitions, or an array of imageUri entries); pass --kind appspec|buildspec|taskdef|imagedefinitions`,
    );
  }
}

/**
 * The kind of one file: --kind, else its name, else its content (read even
 * when it has syntax errors, so a broken file is reported, not skipped), else
 * its folders. A file named like an AppSpec whose content is plainly
 * something else is not guessed at. `member`: whether the pipeline would read
 * it as a release file (told by --kind, name or folder, not by content).
 */
function tellKind(
  file: string,
  source: ParsedSource,
  given: DocumentKind | undefined,
): { kind: DocumentKind; member: boolean } {
  if (given) return { kind: given, member: true };
  const named = kindFromFileName(file);
  const shape = source.value ?? source.tolerantValue;
  const content = kindFromContent(shape);
  if (named === 'appspec') {
    if (content && content !== 'appspec') return { kind: content, member: false };
    // MoveApps keeps its app manifest in appspec.json: a wall of schema errors would call it
    // a broken AppSpec (exit 1) when it is a valid file of another tool, so it exits 2 like
    // any file of unknown kind, and --kind appspec still checks it. Only JSON: appspec.yml
    // and appspec.yaml are the names CodeDeploy itself reads from a revision, so a YAML file
    // of that name is one the deployment will read, and is checked as an AppSpec.
    const foreign = /\.json$/i.test(file) ? foreignAppSpecKeys(shape) : [];
    if (foreign.length > 0) throw new UnknownKindError(file, foreign);
  }
  if (named) return { kind: named, member: true };
  if (content) return { kind: content, member: kindFromFolders(file) === content };
  const folder = kindFromFolders(file);
  if (folder) return { kind: folder, member: true };
  throw new UnknownKindError(file);
}

/**
 * What `ecs-release-lint validate` does: each file alone, then the files of one
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
    const named = options.kind ?? kindFromFileName(file) ?? kindFromFolders(file);
    const source = parseSource(file, text, defaultSyntax(named, file, text));
    const { kind, member } = tellKind(file, source, options.kind);
    const document = checkSource(kind, source);
    checked.push(document);
    // A file told apart only by its content is not known to be one the pipeline reads
    // (CodeDeployToECS finds the release's files by name), so it is checked alone.
    if (member) releaseMembers.push(document);
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
    const codeDeploy =
      only('appspec') !== undefined && (only('taskdef') || dockerfile) !== undefined;
    // The ECS standard deploy action updates the containers imagedefinitions.json names in the
    // service's task definition, which the taskdef beside it is.
    const standard = only('imagedefinitions') !== undefined && only('taskdef') !== undefined;
    if (codeDeploy || standard) {
      findings.push(
        ...checkRelease({
          taskdef: only('taskdef'),
          appspec: codeDeploy ? only('appspec') : undefined,
          imagedefinitions: standard ? only('imagedefinitions') : undefined,
          // The build's imageDetail.json feeds CodeDeployToECS only.
          buildspec: codeDeploy && only('taskdef') ? only('buildspec') : undefined,
          dockerfile: codeDeploy ? dockerfile : undefined,
        }),
      );
    }
  }
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { files: checked.map(({ kind, source }) => ({ file: source.file, kind })), findings };
}
