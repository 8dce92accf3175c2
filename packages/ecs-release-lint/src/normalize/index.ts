import type { DocumentKind } from '../core/rule.js';
import { normalizeAppSpec } from './appspec.js';
import { normalizeTaskDefinition } from './taskdef.js';

/** parse → normalize → rules: the value the rules and the schema check. */
export function normalize(kind: DocumentKind, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (kind === 'appspec') return normalizeAppSpec(value);
  if (kind === 'taskdef') return normalizeTaskDefinition(value);
  return value;
}
