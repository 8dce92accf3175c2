import { SCHEMA_RULES } from './issues.js';
import { schemaRule } from './schema-rule.js';

export const schemaMissingKey = schemaRule({
  id: SCHEMA_RULES.missingKey,
  summary: 'Required fields are present.',
  why: 'AWS refuses a document without its required fields (a task definition without family, an AppSpec target without TaskDefinition), at deployment time rather than at commit time.',
  reference:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html',
});
