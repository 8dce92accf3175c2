import type { z } from 'zod';
import type { DocumentPath } from '../../core/findings.js';
import { DOCUMENT_SCHEMAS } from '../../models/documents.js';
import { jsonSchema } from '../../models/json-schema.js';
import { isRecord, type DocumentKind, type SpecDocument } from '../../core/rule.js';

/** Generic schema rule ids, used when no specific rule explains the problem better. */
export const SCHEMA_RULES = {
  unknownKey: 'SCHEMA_UNKNOWN_KEY',
  missingKey: 'SCHEMA_MISSING_KEY',
  invalidType: 'SCHEMA_INVALID_TYPE',
  invalidValue: 'SCHEMA_INVALID_VALUE',
} as const;

export type SchemaRuleId = (typeof SCHEMA_RULES)[keyof typeof SCHEMA_RULES];

/** The model's verdict on a document, parsed once however many schema rules ask. */
const verdicts = new WeakMap<SpecDocument, SchemaVerdict>();

/** What the model says of a document: its typed value when valid, else each problem. */
export interface SchemaVerdict {
  readonly data: unknown;
  readonly issues: readonly SchemaIssue[];
}

export function schemaVerdict(kind: DocumentKind, document: SpecDocument): SchemaVerdict {
  const cached = verdicts.get(document);
  if (cached) return cached;
  // jitless: zod's compiled (new Function) object parsers cost more to build than one parse of
  // a document saves; a CLI run parses each kind once (bench/startup.mjs).
  const parsed = DOCUMENT_SCHEMAS[kind].safeParse(document.value, {
    reportInput: true,
    jitless: true,
  });
  const verdict = parsed.success
    ? { data: parsed.data as unknown, issues: [] }
    : { data: undefined, issues: flattenIssues(parsed.error.issues) };
  verdicts.set(document, verdict);
  return verdict;
}

/** One problem the model found, at the path of the value (an unknown key: of the key). */
export interface SchemaIssue {
  readonly code: string;
  readonly path: DocumentPath;
  readonly message: string;
  readonly expected?: string;
  readonly input?: unknown;
  readonly values?: readonly unknown[];
  readonly key?: string;
}

function flattenIssues(issues: readonly z.core.$ZodIssue[]): SchemaIssue[] {
  return issues.flatMap((issue): SchemaIssue[] => {
    const path = issue.path as DocumentPath;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        code: issue.code,
        path: [...path, key],
        message: issue.message,
        key,
      }));
    }
    return [
      {
        code: issue.code,
        path,
        message: issue.message,
        input: issue.input,
        expected: issue.code === 'invalid_type' ? issue.expected : undefined,
        values: issue.code === 'invalid_value' ? issue.values : undefined,
      },
    ];
  });
}

type JsonSchemaNode = Record<string, unknown>;

/** The JSON Schema node at a document path, through objects, maps, lists and unions. */
function schemaNodeAt(kind: DocumentKind, path: DocumentPath): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = jsonSchema(kind);
  for (const segment of path) {
    node = node && step(node, segment);
    if (!node) return undefined;
  }
  return node;
}

function step(node: JsonSchemaNode, segment: string | number): JsonSchemaNode | undefined {
  const variants = Array.isArray(node.anyOf) ? (node.anyOf as JsonSchemaNode[]) : [node];
  for (const variant of variants) {
    if (typeof segment === 'number' && isRecord(variant.items)) return variant.items;
    const properties = isRecord(variant.properties) ? variant.properties : undefined;
    if (properties && isRecord(properties[segment])) return properties[segment];
    if (typeof segment === 'string' && isRecord(variant.additionalProperties))
      return variant.additionalProperties;
  }
  return undefined;
}

export function allowedKeys(kind: DocumentKind, path: DocumentPath): string[] {
  const node = schemaNodeAt(kind, path);
  const variants = node && Array.isArray(node.anyOf) ? (node.anyOf as JsonSchemaNode[]) : [node];
  return variants.flatMap((variant) =>
    variant && isRecord(variant.properties) ? Object.keys(variant.properties) : [],
  );
}

export function describePath(path: DocumentPath): string {
  if (path.length === 0) return 'the document';
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number' && !Number.isFinite(value))
    return 'a number too large to represent (it reads as infinity)';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

export const EXPECTED_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

/** The description the JSON Schema gives the field at a path, if any. */
export function fieldDescription(kind: DocumentKind, path: DocumentPath): string | undefined {
  const node = schemaNodeAt(kind, path);
  return typeof node?.description === 'string' ? node.description : undefined;
}
