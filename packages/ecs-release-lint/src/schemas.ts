// `ecs-release-lint/schemas`: the zod model and JSON Schema of each kind of document.
export { DOCUMENT_SCHEMAS, type DocumentTypes } from './models/documents.js';
export { jsonSchema, SCHEMA_FILES } from './models/json-schema.js';
export { jsonSchemaText } from './render/json-schema.js';
