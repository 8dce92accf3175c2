import { documentRule, isRecord, type RuleHit } from '../../core/rule.js';
import { CONTAINER_API, containers, isFargate } from './task.js';

export const taskdefLinksBridgeOnly = documentRule(
  {
    id: 'TASKDEF_LINKS_BRIDGE_ONLY',
    kind: 'taskdef',
    severity: 'error',
    summary: 'Container links are used only with the bridge network mode.',
    why: 'RegisterTaskDefinition rejects links with awsvpc or host networking (and so on Fargate); containers of an awsvpc task reach each other on localhost.',
    reference: CONTAINER_API,
  },
  (document) => {
    if (!isRecord(document)) return [];
    // Without networkMode a Linux EC2 task uses bridge; Fargate always uses awsvpc.
    const mode = isFargate(document)
      ? 'awsvpc'
      : typeof document.networkMode === 'string'
        ? document.networkMode
        : 'bridge';
    if (mode === 'bridge') return [];
    return containers(document)
      .filter(([, container]) => Array.isArray(container.links) && container.links.length > 0)
      .map(([index]): RuleHit => ({
        path: ['containerDefinitions', index, 'links'],
        at: 'key',
        message: `links work only with networkMode "bridge", not ${JSON.stringify(mode)}; remove them (containers of one ${mode} task reach each other on localhost)`,
      }));
  },
);
