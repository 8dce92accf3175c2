import { SCHEMA_RULES } from './issues.js';
import { schemaRule } from './schema-rule.js';

export const schemaInvalidType = schemaRule({
  id: SCHEMA_RULES.invalidType,
  summary: 'Each value has the type the format takes (string, number, list, map …).',
  why: 'The AWS CLI and SDKs check parameter types before calling the API: an Integer given as "512" or a String given as 512 is rejected.',
  reference:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html',
});
