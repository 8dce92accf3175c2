import { nullPaths, rootMapping } from '../../access/node.js';
import { DESCRIBE_OUTPUT_FIELDS } from '../../normalize/taskdef.js';
import type { Rule } from '../../core/rule.js';

export const taskdefDescribeOutput: Rule = {
  id: 'TASKDEF_DESCRIBE_OUTPUT',
  stage: 'document',
  kinds: ['taskdef'],
  severity: 'warning',
  messages: {
    describeOutput:
      'this looks like DescribeTaskDefinition output: {{parts}} are not RegisterTaskDefinition input, and `aws ecs register-task-definition` rejects them; remove them (they were left out of the other checks)',
  },
  summary:
    'The file is RegisterTaskDefinition input, not DescribeTaskDefinition output (taskDefinitionArn, revision, status, null fields …); reported once.',
  why: '`aws ecs register-task-definition --cli-input-json` rejects the output-only fields and null values of a saved describe-task-definition; the ECS deploy actions drop them, so the rest of the file is checked without them.',
  reference:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html',
  check(input) {
    const raw = input.taskdef?.raw;
    const root = rootMapping(raw);
    if (root === undefined || input.taskdef?.value === undefined) return [];
    const outputOnly: readonly string[] = DESCRIBE_OUTPUT_FIELDS;
    const fields = Object.keys(root.fields).filter((field) => outputOnly.includes(field));
    const nulls = [...nullPaths(raw)].filter((path) => !outputOnly.includes(String(path[0])));
    if (fields.length === 0 && nulls.length === 0) return [];
    const first = fields[0] !== undefined ? [fields[0]] : nulls[0]!;
    const parts = [
      ...(fields.length > 0 ? [`the output-only fields ${fields.join(', ')}`] : []),
      ...(nulls.length > 0 ? [`${nulls.length} null value(s)`] : []),
    ];
    return [
      {
        document: 'taskdef',
        path: first,
        at: 'key',
        messageId: 'describeOutput',
        data: { parts: parts.join(' and ') },
      },
    ];
  },
};
