import type { z } from 'zod';
import { closest } from './private/suggest.js';
import { toResult, type DocumentPath, type Finding, type ValidationResult } from './findings.js';
import { AppSpecSchema, type AppSpec } from './models/appspec.js';
import { BuildspecSchema, type Buildspec } from './models/buildspec.js';
import { TaskDefinitionSchema, type TaskDefinition } from './models/taskdef.js';
import { parseSource, type ParsedSource, type SourceSyntax } from './parse/source.js';
import { appspecResourceType, foreignAppSpec } from './rules/appspec.js';
import { documentRules } from './rules/index.js';
import type { DocumentKind, RuleHit } from './rules/rule.js';

/** Generic schema rule ids, used when no specific rule explains the problem better. */
export const SCHEMA_RULES = {
  unknownKey: 'SCHEMA_UNKNOWN_KEY',
  missingKey: 'SCHEMA_MISSING_KEY',
  invalidType: 'SCHEMA_INVALID_TYPE',
  invalidValue: 'SCHEMA_INVALID_VALUE',
} as const;

export interface DocumentTypes {
  appspec: AppSpec;
  buildspec: Buildspec;
  taskdef: TaskDefinition;
}

export const DOCUMENT_SCHEMAS: { readonly [K in DocumentKind]: z.ZodType<DocumentTypes[K]> } = {
  appspec: AppSpecSchema,
  buildspec: BuildspecSchema,
  taskdef: TaskDefinitionSchema,
};

/** A validated document together with its source, for cross-document rules. */
export interface CheckedDocument<K extends DocumentKind = DocumentKind> {
  readonly kind: K;
  readonly source: ParsedSource;
  readonly result: ValidationResult<DocumentTypes[K]>;
}

/** The syntax a kind of document is read in when the file name does not say. */
export function defaultSyntax(kind: DocumentKind, file: string): SourceSyntax {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  return kind === 'taskdef' ? 'json' : 'yaml';
}

/**
 * parse → rules → schema. Specific rules run first on the parsed value (so a
 * hand-written file gets an actionable message); schema problems they
 * already explain are not reported twice.
 */
export function checkDocument<K extends DocumentKind>(
  kind: K,
  file: string,
  text: string,
  syntax: SourceSyntax = defaultSyntax(kind, file),
): CheckedDocument<K> {
  const source = parseSource(file, text, syntax);
  if (source.value === undefined) {
    return { kind, source, result: toResult<DocumentTypes[K]>(undefined, source.findings) };
  }
  const findings: Finding[] = [...source.findings];
  const foreign = kind === 'appspec' ? foreignAppSpec(source.value) : undefined;
  if (foreign) {
    findings.push(hitToFinding(source, appspecResourceType.id, 'error', foreign));
    return { kind, source, result: toResult<DocumentTypes[K]>(undefined, findings) };
  }
  const covered: DocumentPath[] = [];
  for (const rule of documentRules(kind)) {
    for (const hit of rule.check(source.value)) {
      findings.push(hitToFinding(source, rule.id, hit.severity ?? rule.severity, hit));
      if ((hit.severity ?? rule.severity) === 'error') covered.push(hit.path);
    }
  }
  const schema = DOCUMENT_SCHEMAS[kind];
  const parsed = schema.safeParse(source.value, { reportInput: true });
  if (!parsed.success) {
    for (const issue of flattenIssues(parsed.error.issues)) {
      if (isCovered(issue, covered)) continue;
      findings.push(issueToFinding(source, schema, issue));
    }
  }
  const value = parsed.success ? parsed.data : undefined;
  return { kind, source, result: toResult(value, findings) };
}

/** Validates one document's text. */
export function validateDocument<K extends DocumentKind>(
  kind: K,
  file: string,
  text: string,
  syntax?: SourceSyntax,
): ValidationResult<DocumentTypes[K]> {
  return checkDocument(kind, file, text, syntax).result;
}

export function hitToFinding(
  source: ParsedSource,
  ruleId: string,
  severity: Finding['severity'],
  hit: RuleHit,
): Finding {
  const { line, column } = source.locate(hit.path, hit.at);
  return {
    file: source.file,
    line,
    column,
    severity,
    ruleId,
    message: hit.message,
    path: hit.path,
  };
}

interface FlatIssue {
  readonly code: string;
  readonly path: DocumentPath;
  readonly message: string;
  readonly expected?: string;
  readonly input?: unknown;
  readonly values?: readonly unknown[];
  readonly key?: string;
  readonly unionErrors?: number;
}

function flattenIssues(issues: readonly z.core.$ZodIssue[]): FlatIssue[] {
  return issues.flatMap((issue): FlatIssue[] => {
    const path = issue.path as DocumentPath;
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        code: issue.code,
        path: [...path, key],
        message: issue.message,
        key,
      }));
    }
    if (issue.code === 'invalid_union') {
      return [
        {
          code: issue.code,
          path,
          message: issue.message,
          input: issue.input,
          unionErrors: issue.errors.length,
        },
      ];
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

const startsWith = (path: DocumentPath, prefix: DocumentPath) =>
  prefix.length <= path.length &&
  prefix.every((segment, index) => String(path[index]) === String(segment));

function isCovered(issue: FlatIssue, covered: readonly DocumentPath[]): boolean {
  return covered.some(
    (path) =>
      (path.length > 0 && startsWith(issue.path, path)) ||
      (issue.code === 'invalid_union' && startsWith(path, issue.path)),
  );
}

function describePath(path: DocumentPath): string {
  if (path.length === 0) return 'the document';
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'number' && !Number.isFinite(value))
    return 'a number too large to represent (it reads as infinity)';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

const EXPECTED_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
  record: 'a map',
};

/** The schema node at a document path (objects, arrays, records, optionals, unions). */
function schemaAt(schema: z.ZodType, path: DocumentPath): z.ZodType | undefined {
  let node: z.ZodType | undefined = schema;
  for (const segment of path) {
    node = unwrap(node);
    if (!node) return undefined;
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'object') node = (def.shape as Record<string, z.ZodType>)[String(segment)];
    else if (def.type === 'array') node = def.element as z.ZodType;
    else if (def.type === 'record') node = def.valueType as z.ZodType;
    else return undefined;
  }
  return node;
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let current = node;
  for (;;) {
    const def = current?._zod.def as unknown as Record<string, unknown> | undefined;
    if (def?.type === 'optional' || def?.type === 'nullable' || def?.type === 'default')
      current = def.innerType as z.ZodType;
    else if (def?.type === 'pipe') current = def.in as z.ZodType;
    else return current;
  }
}

function issueToFinding(source: ParsedSource, schema: z.ZodType, issue: FlatIssue): Finding {
  const where = describePath(issue.path);
  const node = schemaAt(schema, issue.path);
  const description = node?.description;
  let ruleId: string;
  let message: string;
  let at: 'key' | 'value' = 'value';
  if (issue.code === 'unrecognized_keys') {
    ruleId = SCHEMA_RULES.unknownKey;
    at = 'key';
    const parent = unwrap(schemaAt(schema, issue.path.slice(0, -1)));
    const allowed =
      parent && (parent._zod.def as unknown as Record<string, unknown>).type === 'object'
        ? Object.keys((parent._zod.def as unknown as { shape: Record<string, unknown> }).shape)
        : [];
    const suggestion = closest(issue.key ?? '', allowed);
    message = `"${issue.key}" is not a field here${suggestion ? `; did you mean "${suggestion}"?` : ''}${allowed.length > 0 ? ` Allowed: ${allowed.join(', ')}` : ''}`;
  } else if (issue.code === 'invalid_type' && issue.input === undefined) {
    ruleId = SCHEMA_RULES.missingKey;
    const parentPath = issue.path.slice(0, -1);
    message = `${describePath(parentPath)} needs "${String(issue.path.at(-1))}"${description ? `: ${description}` : ''}`;
    return {
      ...hitToFinding(source, ruleId, 'error', { path: parentPath, message }),
      path: issue.path,
    };
  } else if (issue.code === 'invalid_type') {
    ruleId = SCHEMA_RULES.invalidType;
    message = `${where} must be ${EXPECTED_NAMES[issue.expected ?? ''] ?? issue.expected}, not ${typeName(issue.input)}${description ? ` (${description})` : ''}`;
  } else if (issue.code === 'invalid_value') {
    ruleId = SCHEMA_RULES.invalidValue;
    message = `${where} must be ${(issue.values ?? []).map((value) => JSON.stringify(value)).join(' or ')}, not ${typeName(issue.input)}`;
  } else if (issue.code === 'invalid_union') {
    ruleId = SCHEMA_RULES.invalidValue;
    message = `${where} has no allowed form (${typeName(issue.input)})${description ? `: ${description}` : ''}`;
  } else {
    ruleId = SCHEMA_RULES.invalidValue;
    message = `${where}: ${issue.message.replace(/^Invalid input: /, '')}${description ? ` (${description})` : ''}`;
  }
  return hitToFinding(source, ruleId, 'error', { path: issue.path, message, at });
}
