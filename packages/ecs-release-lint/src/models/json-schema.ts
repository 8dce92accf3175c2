import * as z from 'zod';
import type { DocumentKind } from '../core/rule.js';
import { DOCUMENT_SCHEMAS } from './documents.js';

/** Where each JSON Schema is committed, relative to the package. */
export const SCHEMA_FILES: { readonly [K in DocumentKind]: string } = {
  appspec: 'schemas/appspec.schema.json',
  buildspec: 'schemas/buildspec.schema.json',
  taskdef: 'schemas/taskdef.schema.json',
  imagedefinitions: 'schemas/imagedefinitions.schema.json',
};

const TITLES: { readonly [K in DocumentKind]: string } = {
  appspec: 'ECS AppSpec (CodeDeploy)',
  buildspec: 'CodeBuild buildspec 0.2',
  taskdef: 'ECS task definition (RegisterTaskDefinition input)',
  imagedefinitions: 'imagedefinitions.json (CodePipeline Amazon ECS deploy action)',
};

const cache = new Map<DocumentKind, Record<string, unknown>>();

/** The JSON Schema (draft-07, what editors' YAML and JSON servers read) of one kind of document. */
export function jsonSchema(kind: DocumentKind): Record<string, unknown> {
  const cached = cache.get(kind);
  if (cached) return cached;
  const generated = z.toJSONSchema(DOCUMENT_SCHEMAS[kind], {
    target: 'draft-7',
    // What a file may hold, before the model drops what CodeBuild ignores (null command items).
    io: 'input',
    unrepresentable: 'any',
  });
  const { $schema, ...rest } = generated as Record<string, unknown>;
  const schema = { $schema, title: TITLES[kind], ...rest };
  cache.set(kind, schema);
  return schema;
}
