import { RULES } from './catalog.js';
import type { DocumentKind, Rule } from '../core/rule.js';

/** Every rule over one document (parse, document and schema rules). */
export const DOCUMENT_RULES: readonly Rule[] = RULES.filter((rule) => rule.stage !== 'release');

/** The rules over several documents of one release. */
export const RELEASE_RULES: readonly Rule[] = RULES.filter((rule) => rule.stage === 'release');

/** The single-document rules that apply to one kind of document. */
export function documentRules(kind: DocumentKind): readonly Rule[] {
  return DOCUMENT_RULES.filter((rule) => rule.kinds.includes(kind));
}
