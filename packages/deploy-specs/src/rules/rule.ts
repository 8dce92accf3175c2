import type { DocumentPath, Severity } from '../findings.js';

/** The kinds of document the package validates. */
export type DocumentKind = 'appspec' | 'buildspec' | 'taskdef';

/** What a rule reports: where (a document path) and what to change. */
export interface RuleHit {
  readonly path: DocumentPath;
  readonly message: string;
  /** Point at the key of the path's last segment instead of its value. */
  readonly at?: 'key' | 'value';
  /** Overrides the rule's severity for this hit. */
  readonly severity?: Severity;
}

/**
 * A rule over one document. It reads the parsed value defensively (it runs
 * before the schema, so hand-written files get the specific message rather
 * than a generic schema error) and is pure.
 */
export interface DocumentRule {
  readonly id: string;
  readonly kind: DocumentKind;
  readonly severity: Severity;
  /** One line for the README and `--help`. */
  readonly summary: string;
  check(document: unknown): readonly RuleHit[];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function records(value: unknown): [number, Record<string, unknown>][] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item, index): [number, Record<string, unknown>][] =>
    isRecord(item) ? [[index, item]] : [],
  );
}

/** Every string in a document with its path. */
export function* strings(
  value: unknown,
  path: DocumentPath = [],
): Generator<[DocumentPath, string]> {
  if (typeof value === 'string') {
    yield [path, value];
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* strings(item, [...path, index]);
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) yield* strings(item, [...path, key]);
  }
}
