import { SCHEMA_RULES } from './issues.js';
import { schemaRule } from './schema-rule.js';

export const schemaUnknownKey = schemaRule({
  id: SCHEMA_RULES.unknownKey,
  summary: 'Every key is a field of the format at that place (suggests the closest name).',
  why: 'RegisterTaskDefinition rejects unknown fields; CodeBuild and CodeDeploy ignore or reject them, so a misspelt key silently loses its setting.',
  reference:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html',
});
