import type { DocumentPath } from '../../core/findings.js';
import { DESCRIBE_OUTPUT_FIELDS } from '../../normalize/taskdef.js';
import { isRecord, type Rule } from '../../core/rule.js';

function* nulls(value: unknown, path: DocumentPath = []): Generator<DocumentPath> {
  if (value === null) yield path;
  else if (Array.isArray(value))
    for (const [index, item] of value.entries()) yield* nulls(item, [...path, index]);
  else if (isRecord(value))
    for (const [key, item] of Object.entries(value)) yield* nulls(item, [...path, key]);
}

export const taskdefDescribeOutput: Rule = {
  id: 'TASKDEF_DESCRIBE_OUTPUT',
  stage: 'document',
  kinds: ['taskdef'],
  severity: 'warning',
  summary:
    'The file is RegisterTaskDefinition input, not DescribeTaskDefinition output (taskDefinitionArn, revision, status, null fields …); reported once.',
  why: '`aws ecs register-task-definition --cli-input-json` rejects the output-only fields and null values of a saved describe-task-definition; the ECS deploy actions drop them, so the rest of the file is checked without them.',
  reference:
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html',
  check(input) {
    const raw = input.taskdef?.raw;
    if (!isRecord(raw) || input.taskdef?.value === undefined) return [];
    const outputOnly: readonly string[] = DESCRIBE_OUTPUT_FIELDS;
    const fields = Object.keys(raw).filter((field) => outputOnly.includes(field));
    const nullPaths = [...nulls(raw)].filter((path) => !outputOnly.includes(String(path[0])));
    if (fields.length === 0 && nullPaths.length === 0) return [];
    const first = fields[0] !== undefined ? [fields[0]] : nullPaths[0]!;
    const parts = [
      ...(fields.length > 0 ? [`the output-only fields ${fields.join(', ')}`] : []),
      ...(nullPaths.length > 0 ? [`${nullPaths.length} null value(s)`] : []),
    ];
    return [
      {
        document: 'taskdef',
        path: first,
        at: 'key',
        message: `this looks like DescribeTaskDefinition output: ${parts.join(' and ')} are not RegisterTaskDefinition input, and \`aws ecs register-task-definition\` rejects them; remove them (they were left out of the other checks)`,
      },
    ];
  },
};
