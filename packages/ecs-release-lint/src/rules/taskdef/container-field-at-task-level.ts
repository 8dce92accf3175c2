import { CONTAINER_LEVEL_FIELDS } from '../../models/taskdef.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { task, TASKDEF_API } from './task.js';

export const taskdefContainerFieldAtTaskLevel = documentRule(
  {
    id: 'TASKDEF_CONTAINER_FIELD_AT_TASK_LEVEL',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      atTaskLevel:
        '"{{key}}" belongs to a container: move it into the container\'s entry of containerDefinitions (at task level ECS ignores or rejects it)',
    },
    summary:
      'Container fields (mountPoints, portMappings, healthCheck, logConfiguration, image …) sit inside a containerDefinitions entry, not at task level.',
    why: 'RegisterTaskDefinition rejects container fields at task level, and tools that ignore them deploy a container without its ports or volumes.',
    reference: TASKDEF_API,
  },
  (document) => {
    const taskdef = task(document);
    if (taskdef === undefined) return [];
    return Object.keys(taskdef.fields)
      .filter((key) => CONTAINER_LEVEL_FIELDS.includes(key))
      .map((key): RuleHit => ({
        path: [key],
        at: 'key',
        messageId: 'atTaskLevel',
        data: { key },
      }));
  },
);
