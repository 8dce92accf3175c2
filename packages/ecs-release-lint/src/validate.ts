// `ecs-release-lint/validate`: check files or one document's text, and read the findings.
export {
  checkFiles,
  UnknownKindError,
  type FileInput,
  type CheckFilesOptions,
} from './check/check-files.js';
export {
  checkDocument,
  validateDocument,
  type CheckedDocument,
  type DocumentTypes,
} from './check/validate.js';
export { checkRelease, type ReleaseDocuments } from './check/release.js';
export { kindFromFileName, kindFromContent, kindFromFolders } from './check/kind.js';
export {
  formatFinding,
  type Finding,
  type Severity,
  type DocumentPath,
  type ValidationResult,
} from './core/findings.js';
export type { DocumentKind } from './core/rule.js';
export {
  parseSource,
  type ParsedSource,
  type SourceSyntax,
  type SourcePosition,
  type SourceProblem,
} from './parse/source.js';
