import { hasItems } from '../../access/node.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { CONTAINER_API, containers, task } from './task.js';

export const taskdefLinksBridgeOnly = documentRule(
  {
    id: 'TASKDEF_LINKS_BRIDGE_ONLY',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      notBridge:
        'links work only with networkMode "bridge", not {{networkMode}}; remove them (containers of one {{mode}} task reach each other on localhost)',
    },
    summary: 'Container links are used only with the bridge network mode.',
    why: 'RegisterTaskDefinition rejects links with awsvpc or host networking (and so on Fargate); containers of an awsvpc task reach each other on localhost.',
    reference: CONTAINER_API,
  },
  (document) => {
    const taskdef = task(document);
    if (taskdef === undefined) return [];
    const { networkMode } = taskdef.fields;
    // Without networkMode a Linux EC2 task uses bridge; Fargate always uses awsvpc.
    const mode = taskdef.fargate
      ? 'awsvpc'
      : typeof networkMode === 'string'
        ? networkMode
        : 'bridge';
    if (mode === 'bridge') return [];
    return containers(document)
      .filter((container) => hasItems(container, 'links'))
      .map((container): RuleHit => ({
        path: [...container.path, 'links'],
        at: 'key',
        messageId: 'notBridge',
        data: { networkMode: JSON.stringify(mode), mode },
      }));
  },
);
