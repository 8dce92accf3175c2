import { appspecRules } from './appspec.js';
import { buildspecRules } from './buildspec.js';
import { placeholderRules } from './placeholders.js';
import type { DocumentKind, DocumentRule } from './rule.js';
import { taskdefRules } from './taskdef.js';

/** Every single-document rule. */
export const DOCUMENT_RULES: readonly DocumentRule[] = [
  ...taskdefRules,
  ...appspecRules,
  ...buildspecRules,
  ...placeholderRules,
];

/** The rules that apply to one kind of document. */
export function documentRules(kind: DocumentKind): readonly DocumentRule[] {
  return DOCUMENT_RULES.filter((rule) => rule.kind === kind);
}
