export * from './definition/index.js';
export { DeliveryDefinitionSchema } from './models/definition.js';
export {
  releaseVariableNames,
  readReleaseValues,
  ReleaseEnvironmentError,
  EXAMPLE_RELEASE_VALUES,
  EXAMPLE_ECS_RELEASE_VALUES,
  CODEBUILD_VARIABLES,
  COMMIT_ID_PATTERN,
  DEPLOYMENT_CONTROLLER_VARIABLE,
  IMAGE_DIGEST_VARIABLE,
  IMAGE_DIGEST_PATTERN,
  RELEASE_CONTROLLERS,
  readReleaseController,
  readEcsReleaseValues,
  type ReleaseController,
  type EcsReleaseValues,
  type ReleaseValues,
} from './release/values.js';
export {
  taskDefinitionFor,
  type TaskDefinitionInstance,
  releaseTaskDefinition,
  releaseAppSpec,
  imageDetail,
  ecsReleaseImage,
  ecsReleaseTaskDefinition,
  imageDefinitions,
  healthCheckCommand,
  IMAGE_PLACEHOLDER,
  TASK_DEFINITION_PLACEHOLDER,
  APP_VERSION_VARIABLE,
} from './release/documents.js';
export {
  PROMOTED_RELEASES_VARIABLE,
  readPromotedReleases,
  renderPromotedRelease,
  type PromotedRelease,
} from './release/promotion.js';
export {
  renderRelease,
  renderEcsRelease,
  checkEcsRelease,
  type RenderedFile,
  type ReleaseRender,
} from './release/render.js';
export {
  releaseBuildspec,
  buildspecHeader,
  BUILDSPEC_PATH,
  RELEASE_CACHE_PATHS,
  BUILDSPEC_SCHEMA_PATH,
  RELEASE_FILES,
  SHIP_BUNDLE,
} from './recipe/release-buildspec.js';
export {
  generatedFiles,
  staleFiles,
  EXAMPLE_RELEASE_PATH,
  EXAMPLE_ECS_RELEASE_PATH,
  type GeneratedFile,
  type StaleFile,
} from './generated.js';

// What the delivery's own users (infra, rehearse, the app's tests) read from the linter along
// with the release: the documents' types, and the checks the rendered files pass.
export type { AppSpec } from 'ecs-release-lint/models/appspec';
export type { Buildspec, BuildspecInstallPhase } from 'ecs-release-lint/models/buildspec';
export type { TaskDefinition, TaskContainerDefinition } from 'ecs-release-lint/models/taskdef';
export {
  checkDocument,
  validateDocument,
  parseSource,
  formatFinding,
  type Finding,
} from 'ecs-release-lint/validate';
export { exposedPorts, type ExposedPort } from 'ecs-release-lint/dockerfile';
