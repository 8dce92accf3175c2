import { portMappings } from '../../access/taskdef.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { containers, task } from './task.js';

export const taskdefAwsvpcHostPort = documentRule(
  {
    id: 'TASKDEF_AWSVPC_HOST_PORT',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      hostPort:
        'with awsvpc the hostPort must equal the containerPort ({{containerPort}}); remove hostPort',
    },
    summary: 'With awsvpc, a port mapping has no hostPort or one equal to its containerPort.',
    why: 'In awsvpc mode each task has its own network interface; RegisterTaskDefinition rejects a hostPort that differs from the containerPort.',
    reference: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html',
  },
  (document) => {
    if (task(document)?.fields.networkMode !== 'awsvpc') return [];
    const hits: RuleHit[] = [];
    for (const container of containers(document)) {
      for (const mapping of portMappings(container)) {
        if (mapping.hostPort !== undefined && mapping.hostPort !== mapping.containerPort) {
          hits.push({
            path: [...mapping.path, 'hostPort'],
            messageId: 'hostPort',
            data: { containerPort: String(mapping.containerPort) },
          });
        }
      }
    }
    return hits;
  },
);
