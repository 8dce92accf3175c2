export {
  detectEngine,
  engineExec,
  removeContainersArgs,
  MissingToolError,
  ENGINE_NAMES,
  type ContainerEngine,
  type EngineName,
} from './engine.js';
export {
  buildImage,
  ensureBaseImage,
  externalBaseImages,
  ImageBuildError,
  type BuildImageOptions,
  type BuiltImage,
} from './image.js';
export { sourceVersion, type SourceVersion } from './version.js';
export {
  renderLocalRelease,
  standInEnvironment,
  ReleaseRenderError,
  LOCAL_ACCOUNT,
  type LocalRelease,
  type LocalReleaseInput,
} from './render.js';
export {
  taskRunArgs,
  soleContainer,
  cpusOf,
  memoryOf,
  REHEARSAL_LABEL,
  UnsupportedTaskDefinitionError,
  type TaskRunOptions,
} from './task-run.js';
export { freePort, freePorts } from './private/ports.js';
export { rehearse, type RehearseOptions, type RehearsalSummary } from './rehearsal.js';
export { UsageError } from './preflight.js';
export { FAULTS, type Fault } from './faults.js';
