import type { DocumentKind } from '../core/rule.js';
import { jsonSchema } from '../models/json-schema.js';
import { formatJson } from './format.js';

/** The committed text of a JSON Schema file. */
export function jsonSchemaText(kind: DocumentKind): string {
  return formatJson(jsonSchema(kind));
}
