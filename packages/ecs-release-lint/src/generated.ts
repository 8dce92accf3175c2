import type { DocumentKind } from './core/rule.js';
import { rulesReference, RULES_REFERENCE_PATH } from './docs/rules-reference.js';
import { SCHEMA_FILES } from './models/json-schema.js';
import { jsonSchemaText } from './render/json-schema.js';

/** A committed file whose content the linter generates. */
export interface GeneratedFile {
  /** Path relative to the package folder. */
  readonly path: string;
  readonly content: string;
}

/**
 * The linter's committed generated files: the JSON Schemas and docs/rules.md, whose examples
 * are read from the fixtures of the package's source under `packageRoot`.
 */
export function generatedFiles(packageRoot: string): GeneratedFile[] {
  return [
    ...Object.entries(SCHEMA_FILES).map(([kind, path]) => ({
      path,
      content: jsonSchemaText(kind as DocumentKind),
    })),
    { path: RULES_REFERENCE_PATH, content: rulesReference(packageRoot) },
  ];
}
