import {
  cpuUnits,
  describeFargateMemory,
  FARGATE_MEMORY_BY_CPU,
  isFargateSize,
} from '../../models/fargate.js';
import { documentRule } from '../../core/rule.js';
import { task } from './task.js';

export const taskdefFargateCpuMemory = documentRule(
  {
    id: 'TASKDEF_FARGATE_CPU_MEMORY',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      notAString: '{{field}} must be a string such as "{{example}}" (the ECS API takes strings)',
      missingCpu: 'a Fargate task needs task-level cpu and memory (strings); add "cpu" ({{cpus}})',
      missingMemory: 'a Fargate task needs task-level cpu and memory (strings); add "memory"',
      unknownCpu: 'Fargate has no cpu "{{cpu}}"; use one of {{cpus}}',
      unknownPair:
        'Fargate has no task with cpu "{{cpu}}" and memory "{{memory}}"; with cpu {{cpu}} use memory {{memories}}',
    },
    summary: 'A Fargate task sets task-level cpu and memory (strings) to a pair Fargate offers.',
    why: 'Fargate runs only the documented cpu/memory combinations and requires both at task level; RegisterTaskDefinition rejects any other pair.',
    reference:
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size',
  },
  (document) => {
    const taskdef = task(document);
    if (!taskdef?.fargate) return [];
    const { cpu, memory } = taskdef.fields;
    const cpus = Object.keys(FARGATE_MEMORY_BY_CPU).join(', ');
    if (typeof cpu !== 'string' || typeof memory !== 'string') {
      const missing = typeof cpu !== 'string' ? 'cpu' : 'memory';
      const given = taskdef.fields[missing];
      if (given !== undefined && typeof given !== 'string') {
        return [
          {
            path: [missing],
            messageId: 'notAString',
            data: { field: missing, example: missing === 'cpu' ? '256' : '512' },
          },
        ];
      }
      return [
        {
          path: [missing],
          ...(missing === 'cpu'
            ? { messageId: 'missingCpu', data: { cpus } }
            : { messageId: 'missingMemory' }),
        },
      ];
    }
    if (cpuUnits(cpu) === undefined || FARGATE_MEMORY_BY_CPU[String(cpuUnits(cpu))] === undefined) {
      return [{ path: ['cpu'], messageId: 'unknownCpu', data: { cpu, cpus } }];
    }
    if (!isFargateSize(cpu, memory)) {
      return [
        {
          path: ['memory'],
          messageId: 'unknownPair',
          data: { cpu, memory, memories: String(describeFargateMemory(cpu)) },
        },
      ];
    }
    return [];
  },
);
