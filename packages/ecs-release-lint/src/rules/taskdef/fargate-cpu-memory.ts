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
            message: `${missing} must be a string such as "${missing === 'cpu' ? '256' : '512'}" (the ECS API takes strings)`,
          },
        ];
      }
      return [
        {
          path: [missing],
          message: `a Fargate task needs task-level cpu and memory (strings); add "${missing}"${missing === 'cpu' ? ` (${cpus})` : ''}`,
        },
      ];
    }
    if (cpuUnits(cpu) === undefined || FARGATE_MEMORY_BY_CPU[String(cpuUnits(cpu))] === undefined) {
      return [{ path: ['cpu'], message: `Fargate has no cpu "${cpu}"; use one of ${cpus}` }];
    }
    if (!isFargateSize(cpu, memory)) {
      return [
        {
          path: ['memory'],
          message: `Fargate has no task with cpu "${cpu}" and memory "${memory}"; with cpu ${cpu} use memory ${describeFargateMemory(cpu)}`,
        },
      ];
    }
    return [];
  },
);
