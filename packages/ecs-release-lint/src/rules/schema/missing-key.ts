import { describePath, fieldDescription, SCHEMA_RULES } from './issues.js';
import { schemaRule } from './schema-rule.js';

export const schemaMissingKey = schemaRule({
  id: SCHEMA_RULES.missingKey,
  // A missing key reads as an undefined input; its path locates at its parent, the deepest node that exists.
  detects: (issue) => issue.code === 'invalid_type' && issue.input === undefined,
  describe: (kind, issue) => {
    const description = fieldDescription(kind, issue.path);
    return {
      messageId: 'missing',
      data: {
        where: describePath(issue.path.slice(0, -1)),
        key: String(issue.path.at(-1)),
        description: description ? `: ${description}` : '',
      },
    };
  },
  messages: { missing: '{{where}} needs "{{key}}"{{description}}' },
  summary: 'Required fields are present.',
  why: 'AWS refuses a document without its required fields (a task definition without family, an AppSpec target without TaskDefinition), at deployment time rather than at commit time.',
  reference:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html',
});
