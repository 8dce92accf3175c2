import { listAt } from '../../access/node.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { CONTAINER_API, containers, task } from './task.js';

export const taskdefEssentialContainer = documentRule(
  {
    id: 'TASKDEF_ESSENTIAL_CONTAINER',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      empty: 'containerDefinitions is empty; add the container that runs the app',
      noneEssential:
        'no container is essential; set "essential": true on the container that runs the app (ECS requires one)',
      noName: 'this container has no "name"; give it one (the AppSpec and logs refer to it)',
      duplicateName: 'container name "{{name}}" is used twice; names must be unique',
    },
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
          messageId: 'empty',
        },
      ];
    }
    const hits: RuleHit[] = [];
    if (list.length > 0 && list.every((container) => container.fields.essential === false)) {
      hits.push({
        path: ['containerDefinitions', 0, 'essential'],
        messageId: 'noneEssential',
      });
    }
    const seen = new Set<string>();
    for (const container of list) {
      if (container.fields.name === undefined) {
        hits.push({
          path: [...container.path, 'name'],
          messageId: 'noName',
        });
      } else if (container.name !== undefined) {
        if (seen.has(container.name)) {
          hits.push({
            path: [...container.path, 'name'],
            messageId: 'duplicateName',
            data: { name: container.name },
          });
        }
        seen.add(container.name);
      }
    }
    return hits;
  },
);
