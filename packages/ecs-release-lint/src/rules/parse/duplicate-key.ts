import { JSON_FILE_READ_AS_YAML, PARSE_RULES, parseRule } from './parse-rule.js';

const TWICE =
  'this key appears twice in the same map; keep one (the readers disagree on which wins)';

export const parseDuplicateKey = parseRule({
  id: PARSE_RULES.duplicateKey,
  detects: (problem) => problem.kind === 'duplicateKey',
  describe: (_, inJsonFile) => ({
    messageId: inJsonFile ? 'duplicateKeyInJsonFile' : 'duplicateKey',
  }),
  messages: {
    duplicateKey: TWICE,
    duplicateKeyInJsonFile: `${TWICE} ${JSON_FILE_READ_AS_YAML}`,
  },
  summary: 'No key appears twice in the same map (YAML or JSON).',
  why: 'Readers disagree on which of two equal keys wins (JSON.parse keeps the last, strict YAML readers refuse the file), so the file means different things to different tools.',
  reference: 'https://yaml.org/spec/1.2.2/#mapping',
});
