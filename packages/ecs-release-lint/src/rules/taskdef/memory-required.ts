import { documentRule, type RuleHit } from '../../core/rule.js';
import { containers, CONTAINER_API, task } from './task.js';

export const taskdefMemoryRequired = documentRule(
  {
    id: 'TASKDEF_MEMORY_REQUIRED',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      missing:
        'container {{name}}has no memory or memoryReservation and the task has no memory; set one of them (ECS needs memory to reserve)',
    },
    summary: 'Without task-level memory, every container sets memory or memoryReservation.',
    why: 'RegisterTaskDefinition rejects a task definition that gives ECS no memory to reserve: neither a task-level memory nor a container memory or memoryReservation.',
    reference: CONTAINER_API,
  },
  (document) => {
    // A Fargate task without task memory is TASKDEF_FARGATE_CPU_MEMORY's finding.
    const taskdef = task(document);
    if (taskdef === undefined || taskdef.fields.memory !== undefined || taskdef.fargate) return [];
    return containers(document)
      .filter(({ fields }) => fields.memory === undefined && fields.memoryReservation === undefined)
      .map((container): RuleHit => ({
        path: container.path,
        messageId: 'missing',
        data: { name: container.name !== undefined ? `"${container.name}" ` : '' },
      }));
  },
);
