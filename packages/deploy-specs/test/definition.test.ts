import { describe, expect, it } from 'vitest';
import { webappColor } from '../src/definition/index.js';
import { DeliveryDefinitionSchema } from '../src/models/definition.js';
import { releaseVariableNames } from '../src/release/values.js';

describe('webappColor', () => {
  it('satisfies the delivery definition schema', () => {
    const result = DeliveryDefinitionSchema.safeParse(webappColor);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('fails when the task size is not a Fargate pair, naming the allowed memory', () => {
    const result = DeliveryDefinitionSchema.safeParse({
      ...webappColor,
      task: { ...webappColor.task, memory: '4096' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('512, 1024, 2048');
  });

  it('fails when the force-exit deadline is not before SIGKILL', () => {
    const result = DeliveryDefinitionSchema.safeParse({
      ...webappColor,
      shutdown: { ...webappColor.shutdown, forceExitMs: 60_000 },
    });
    expect(result.success).toBe(false);
  });

  it('lists the release variables infra sets on CodeBuild', () => {
    expect(releaseVariableNames(webappColor)).toEqual([
      'IMAGE_REPOSITORY_URI',
      'TASK_FAMILY',
      'TASK_EXECUTION_ROLE_ARN',
      'TASK_ROLE_ARN',
      'LOG_GROUP_NAME',
      'SMOKE_TEST_FUNCTION_NAME',
      'PRODUCTION_CHECK_FUNCTION_NAME',
    ]);
  });
});
