import { cpuUnits, memoryMiB } from '../../models/fargate.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { CONTAINER_API, containers, task } from './task.js';

export const taskdefContainerWithinTask = documentRule(
  {
    id: 'TASKDEF_CONTAINER_WITHIN_TASK',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      memory:
        "container '{{name}}' sets {{field}} {{value}} MiB, more than the task's memory {{memory}} ({{taskMemory}} MiB); RegisterTaskDefinition fails with \"The '{{field}}' setting for container '{{name}}' is greater than for the task.\" Lower it or raise the task's memory",
      cpu: "the containers' cpu adds up to {{cpuSum}} units, more than the task's cpu {{cpu}} ({{taskCpu}} units); lower the containers' cpu or raise the task's",
    },
    summary:
      "No container's memory or memoryReservation exceeds the task's memory, and the containers' cpu adds up to at most the task's cpu.",
    why: "RegisterTaskDefinition refuses a container that asks for more than its task has (ClientException \"The 'memory' setting for container 'X' is greater than for the task.\"), and the containers of a task share the task-level cpu, so their cpu reservations cannot add up to more.",
    reference: CONTAINER_API,
  },
  (document) => {
    const taskdef = task(document);
    if (taskdef === undefined) return [];
    const { cpu, memory } = taskdef.fields;
    const hits: RuleHit[] = [];
    const taskMemory = typeof memory === 'string' ? memoryMiB(memory) : undefined;
    const taskCpu = typeof cpu === 'string' ? cpuUnits(cpu) : undefined;
    let cpuSum = 0;
    for (const container of containers(document)) {
      const name = container.name ?? `#${container.index + 1}`;
      for (const field of ['memory', 'memoryReservation'] as const) {
        const value = container.fields[field];
        if (taskMemory === undefined || typeof value !== 'number' || value <= taskMemory) continue;
        hits.push({
          path: [...container.path, field],
          messageId: 'memory',
          data: { name, field, value, memory: JSON.stringify(memory), taskMemory },
        });
      }
      const containerCpu = container.fields.cpu;
      if (typeof containerCpu === 'number') cpuSum += containerCpu;
    }
    if (taskCpu !== undefined && cpuSum > taskCpu) {
      hits.push({
        path: ['cpu'],
        messageId: 'cpu',
        data: { cpuSum, cpu: JSON.stringify(cpu), taskCpu },
      });
    }
    return hits;
  },
);
