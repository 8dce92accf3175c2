import { PARSE_RULES } from '../../parse/source.js';
import { parseRule } from './parse-rule.js';

export const parseDuplicateKey = parseRule({
  id: PARSE_RULES.duplicateKey,
  summary: 'No key appears twice in the same map (YAML or JSON).',
  why: 'Readers disagree on which of two equal keys wins (JSON.parse keeps the last, strict YAML readers refuse the file), so the file means different things to different tools.',
  reference: 'https://yaml.org/spec/1.2.2/#mapping',
});
