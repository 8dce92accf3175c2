// `ecs-release-lint/render`: typed models to the text AWS reads.
export {
  renderTaskDefinition,
  taskDefinitionJson,
  renderAppSpec,
  appSpecYaml,
  appSpecJson,
  renderBuildspec,
  buildspecYaml,
} from './render/documents.js';
export { formatJson, formatYaml, type YamlOptions } from './render/format.js';
