export * from './definition/index.js';
export { DeliveryDefinitionSchema } from './models/definition.js';
export * from './models/appspec.js';
export * from './models/buildspec.js';
export * from './models/taskdef.js';
export * from './models/fargate.js';
export type { Finding, Severity, DocumentPath, ValidationResult } from './findings.js';
export { formatFinding } from './findings.js';
export {
  checkFiles,
  UnknownKindError,
  type FileInput,
  type CheckFilesOptions,
} from './check-files.js';
export {
  parseSource,
  PARSE_RULES,
  type ParsedSource,
  type SourceSyntax,
  type SourcePosition,
} from './parse/source.js';
export {
  checkDocument,
  checkSource,
  validateDocument,
  DOCUMENT_SCHEMAS,
  SCHEMA_RULES,
  type CheckedDocument,
  type DocumentTypes,
} from './validate.js';
export type {
  DocumentKind,
  Rule,
  RuleHit,
  RuleInput,
  RuleStage,
  RuleExample,
  SpecDocument,
} from './rules/rule.js';
export { DOCUMENT_RULES, RELEASE_RULES, documentRules } from './rules/index.js';
export { checkRelease, type ReleaseDocuments } from './rules/release.js';
export { RULES, ruleCatalog, type RuleSummary } from './rules/catalog.js';
export { kindFromFileName, kindFromContent, kindFromFolders, foreignAppSpecKeys } from './kind.js';
export {
  renderTaskDefinition,
  taskDefinitionJson,
  renderAppSpec,
  appSpecYaml,
  appSpecJson,
  renderBuildspec,
  buildspecYaml,
} from './render/documents.js';
export { formatJson, formatYaml } from './render/format.js';
export {
  releaseVariableNames,
  readReleaseValues,
  ReleaseEnvironmentError,
  EXAMPLE_RELEASE_VALUES,
  CODEBUILD_VARIABLES,
  COMMIT_ID_PATTERN,
  type ReleaseValues,
} from './release/values.js';
export {
  taskDefinitionFor,
  type TaskDefinitionInstance,
  releaseTaskDefinition,
  releaseAppSpec,
  imageDetail,
  healthCheckCommand,
  IMAGE_PLACEHOLDER,
  TASK_DEFINITION_PLACEHOLDER,
  APP_VERSION_VARIABLE,
} from './release/documents.js';
export { renderRelease, type RenderedFile, type ReleaseRender } from './release/render.js';
export { exposedPorts, type ExposedPort } from './release/dockerfile.js';
export {
  releaseBuildspec,
  buildspecHeader,
  BUILDSPEC_PATH,
  RELEASE_CACHE_PATHS,
  BUILDSPEC_SCHEMA_PATH,
} from './recipe/release-buildspec.js';
export { jsonSchema, jsonSchemaText, SCHEMA_FILES } from './schemas.js';
export {
  generatedFiles,
  staleFiles,
  EXAMPLE_RELEASE_PATH,
  type GeneratedFile,
  type StaleFile,
} from './generated.js';
