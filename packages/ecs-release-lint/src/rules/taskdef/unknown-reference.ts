import { entriesAt, stringAt } from '../../access/node.js';
import { volumes, type ContainerView } from '../../access/taskdef.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { CONTAINER_API, containers, task } from './task.js';

const quoted = (names: readonly string[]) =>
  names.length > 0 ? names.map((name) => `"${name}"`).join(', ') : 'none';

export const taskdefUnknownReference = documentRule(
  {
    id: 'TASKDEF_UNKNOWN_REFERENCE',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      unknown:
        '{{list}}[{{index}}].{{field}} "{{value}}" is not {{what}} of this task (it has {{known}}); RegisterTaskDefinition refuses it',
    },
    summary:
      'mountPoints[].sourceVolume names a volume of the task; volumesFrom[].sourceContainer and dependsOn[].containerName name containers of the task.',
    why: 'RegisterTaskDefinition refuses a mount point whose volume the task does not declare (ClientException "Unknown volume"), and a task whose containers take volumes from, or wait for, a container that is not in it.',
    reference: CONTAINER_API,
  },
  (document) => {
    const taskdef = task(document);
    if (taskdef === undefined) return [];
    const volumeNames = volumes(taskdef).flatMap((volume) => stringAt(volume, 'name') ?? []);
    const names = containers(document).flatMap((container) => container.name ?? []);
    const hits: RuleHit[] = [];
    const check = (
      container: ContainerView,
      list: string,
      field: string,
      known: readonly string[],
      what: string,
    ) => {
      for (const entry of entriesAt(container, list)) {
        const value = stringAt(entry, field);
        if (value === undefined || known.includes(value)) continue;
        hits.push({
          path: [...entry.path, field],
          messageId: 'unknown',
          data: { list, index: entry.index, field, value, what, known: quoted(known) },
        });
      }
    };
    for (const container of containers(document)) {
      check(container, 'mountPoints', 'sourceVolume', volumeNames, 'a volume');
      check(container, 'volumesFrom', 'sourceContainer', names, 'a container');
      check(container, 'dependsOn', 'containerName', names, 'a container');
    }
    return hits;
  },
);
