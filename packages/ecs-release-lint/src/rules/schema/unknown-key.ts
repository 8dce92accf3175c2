import { closest } from '../../private/suggest.js';
import { allowedKeys, SCHEMA_RULES } from './issues.js';
import { schemaRule } from './schema-rule.js';

export const schemaUnknownKey = schemaRule({
  id: SCHEMA_RULES.unknownKey,
  detects: (issue) => issue.code === 'unrecognized_keys',
  describe: (kind, issue) => {
    const allowed = allowedKeys(kind, issue.path.slice(0, -1));
    const suggestion = closest(issue.key ?? '', allowed);
    return {
      messageId: 'unknown',
      data: {
        key: String(issue.key),
        suggestion: suggestion ? `; did you mean "${suggestion}"?` : '.',
        allowed: allowed.length > 0 ? ` Allowed: ${allowed.join(', ')}` : '',
      },
      at: 'key',
    };
  },
  messages: { unknown: '"{{key}}" is not a field here{{suggestion}}{{allowed}}' },
  summary: 'Every key is a field of the format at that place (suggests the closest name).',
  why: 'RegisterTaskDefinition rejects unknown fields; CodeBuild and CodeDeploy ignore or reject them, so a misspelt key silently loses its setting.',
  reference:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html',
});
