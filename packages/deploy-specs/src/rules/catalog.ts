import { PARSE_RULES } from '../parse/source.js';
import { SCHEMA_RULES } from '../validate.js';
import { DOCUMENT_RULES } from './index.js';
import { RELEASE_RULES } from './release.js';

/** A rule id with its one-line summary. */
export interface RuleSummary {
  readonly id: string;
  readonly summary: string;
}

const PARSE_SUMMARIES: Record<string, string> = {
  [PARSE_RULES.syntax]: 'The file is well-formed YAML or JSON.',
  [PARSE_RULES.tab]: 'YAML is indented with spaces, never tabs.',
  [PARSE_RULES.duplicateKey]: 'No key appears twice in the same map (YAML or JSON).',
};

const SCHEMA_SUMMARIES: Record<string, string> = {
  [SCHEMA_RULES.unknownKey]:
    'Every key is a field of the format at that place (suggests the closest name).',
  [SCHEMA_RULES.missingKey]: 'Required fields are present.',
  [SCHEMA_RULES.invalidType]:
    'Each value has the type the format takes (string, number, list, map …).',
  [SCHEMA_RULES.invalidValue]: 'Each value is one the format allows (enums, ranges, patterns).',
};

/** Every rule id the validator can report, each once, in a stable order. */
export function ruleCatalog(): RuleSummary[] {
  const seen = new Set<string>();
  const catalog: RuleSummary[] = [];
  const add = (id: string, summary: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    catalog.push({ id, summary });
  };
  for (const [id, summary] of Object.entries(PARSE_SUMMARIES)) add(id, summary);
  for (const [id, summary] of Object.entries(SCHEMA_SUMMARIES)) add(id, summary);
  for (const rule of DOCUMENT_RULES) add(rule.id, rule.summary);
  for (const rule of RELEASE_RULES) add(rule.id, rule.summary);
  return catalog;
}
