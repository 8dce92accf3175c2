import { documentRule, isRecord, records, type RuleHit } from '../../core/rule.js';
import { CONTAINER_API, containers } from './task.js';

const quoted = (names: readonly string[]) =>
  names.length > 0 ? names.map((name) => `"${name}"`).join(', ') : 'none';

export const taskdefUnknownReference = documentRule(
  {
    id: 'TASKDEF_UNKNOWN_REFERENCE',
    kind: 'taskdef',
    severity: 'error',
    summary:
      'mountPoints[].sourceVolume names a volume of the task; volumesFrom[].sourceContainer and dependsOn[].containerName name containers of the task.',
    why: 'RegisterTaskDefinition refuses a mount point whose volume the task does not declare (ClientException "Unknown volume"), and a task whose containers take volumes from, or wait for, a container that is not in it.',
    reference: CONTAINER_API,
  },
  (document) => {
    if (!isRecord(document)) return [];
    const volumes = records(document.volumes)
      .map(([, volume]) => volume.name)
      .filter((name): name is string => typeof name === 'string');
    const names = containers(document)
      .map(([, container]) => container.name)
      .filter((name): name is string => typeof name === 'string');
    const hits: RuleHit[] = [];
    const check = (
      index: number,
      list: string,
      field: string,
      known: readonly string[],
      what: string,
      container: Record<string, unknown>,
    ) => {
      for (const [item, entry] of records(container[list])) {
        const value = entry[field];
        if (typeof value !== 'string' || known.includes(value)) continue;
        hits.push({
          path: ['containerDefinitions', index, list, item, field],
          message: `${list}[${item}].${field} "${value}" is not ${what} of this task (it has ${quoted(known)}); RegisterTaskDefinition refuses it`,
        });
      }
    };
    for (const [index, container] of containers(document)) {
      check(index, 'mountPoints', 'sourceVolume', volumes, 'a volume', container);
      check(index, 'volumesFrom', 'sourceContainer', names, 'a container', container);
      check(index, 'dependsOn', 'containerName', names, 'a container', container);
    }
    return hits;
  },
);
