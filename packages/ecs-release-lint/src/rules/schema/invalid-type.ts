import {
  describePath,
  EXPECTED_NAMES,
  fieldDescription,
  SCHEMA_RULES,
  typeName,
} from './issues.js';
import { schemaRule } from './schema-rule.js';

export const schemaInvalidType = schemaRule({
  id: SCHEMA_RULES.invalidType,
  detects: (issue) => issue.code === 'invalid_type' && issue.input !== undefined,
  describe: (kind, issue) => {
    const description = fieldDescription(kind, issue.path);
    return {
      messageId: 'invalidType',
      data: {
        where: describePath(issue.path),
        expected: String(EXPECTED_NAMES[issue.expected ?? ''] ?? issue.expected),
        received: typeName(issue.input),
        description: description ? ` (${description})` : '',
      },
    };
  },
  messages: { invalidType: '{{where}} must be {{expected}}, not {{received}}{{description}}' },
  summary: 'Each value has the type the format takes (string, number, list, map …).',
  why: 'The AWS CLI and SDKs check parameter types before calling the API: an Integer given as "512" or a String given as 512 is rejected.',
  reference:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html',
});
