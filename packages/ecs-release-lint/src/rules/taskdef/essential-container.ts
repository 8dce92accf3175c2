import { listAt } from '../../access/node.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { CONTAINER_API, containers, task } from './task.js';

export const taskdefEssentialContainer = documentRule(
  {
    id: 'TASKDEF_ESSENTIAL_CONTAINER',
    kind: 'taskdef',
    severity: 'error',
    summary: 'At least one container is essential, and every container has a unique name.',
    why: 'RegisterTaskDefinition rejects a task without an essential container or with two containers of one name; the AppSpec and the logs refer to containers by name.',
    reference: CONTAINER_API,
  },
  (document) => {
    const list = containers(document);
    const taskdef = task(document);
    const definitions = taskdef && listAt(taskdef, 'containerDefinitions');
    if (definitions === undefined) return [];
    if (definitions.length === 0) {
      return [
        {
          path: ['containerDefinitions'],
          message: 'containerDefinitions is empty; add the container that runs the app',
        },
      ];
    }
    const hits: RuleHit[] = [];
    if (list.length > 0 && list.every((container) => container.fields.essential === false)) {
      hits.push({
        path: ['containerDefinitions', 0, 'essential'],
        message:
          'no container is essential; set "essential": true on the container that runs the app (ECS requires one)',
      });
    }
    const seen = new Set<string>();
    for (const container of list) {
      if (container.fields.name === undefined) {
        hits.push({
          path: [...container.path, 'name'],
          message: 'this container has no "name"; give it one (the AppSpec and logs refer to it)',
        });
      } else if (container.name !== undefined) {
        if (seen.has(container.name)) {
          hits.push({
            path: [...container.path, 'name'],
            message: `container name "${container.name}" is used twice; names must be unique`,
          });
        }
        seen.add(container.name);
      }
    }
    return hits;
  },
);
