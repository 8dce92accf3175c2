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
      message: `${describePath(issue.path)} must be ${EXPECTED_NAMES[issue.expected ?? ''] ?? issue.expected}, not ${typeName(issue.input)}${description ? ` (${description})` : ''}`,
    };
  },
  summary: 'Each value has the type the format takes (string, number, list, map …).',
  why: 'The AWS CLI and SDKs check parameter types before calling the API: an Integer given as "512" or a String given as 512 is rejected.',
  reference:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html',
});
