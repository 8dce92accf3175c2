import { isRecord } from '../core/rule.js';

/**
 * Fields `DescribeTaskDefinition` returns that `RegisterTaskDefinition` does
 * not take. Files saved with `aws ecs describe-task-definition` carry them.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html
 */
export const DESCRIBE_OUTPUT_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
] as const;

/**
 * A task definition as RegisterTaskDefinition input: the output-only fields
 * of DescribeTaskDefinition and `null` values (how that output says "not
 * set") dropped, as the ECS deploy actions do before registering. The
 * TASKDEF_DESCRIBE_OUTPUT rule reports what was dropped, once.
 */
export function normalizeTaskDefinition(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const normalized = dropNulls(value) as Record<string, unknown>;
  for (const field of DESCRIBE_OUTPUT_FIELDS) delete normalized[field];
  return normalized;
}

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(dropNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== null)
      .map(([key, item]) => [key, dropNulls(item)]),
  );
}
