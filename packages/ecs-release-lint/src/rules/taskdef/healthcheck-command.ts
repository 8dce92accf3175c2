import { documentRule, isRecord, type RuleHit } from '../../core/rule.js';
import { containers } from './task.js';

export const taskdefHealthCheckCommand = documentRule(
  {
    id: 'TASKDEF_HEALTHCHECK_COMMAND',
    kind: 'taskdef',
    severity: 'error',
    summary: 'healthCheck.command is ["CMD", exe, args…] or ["CMD-SHELL", "one command string"].',
    why: 'ECS hands the command to Docker: any other first word, or a CMD-SHELL command split into words, makes every check fail and ECS replaces healthy tasks.',
    reference: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html',
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const [index, container] of containers(document)) {
      if (!isRecord(container.healthCheck)) continue;
      const command = container.healthCheck.command;
      const path = ['containerDefinitions', index, 'healthCheck', 'command'];
      if (!Array.isArray(command) || command.some((part) => typeof part !== 'string')) continue;
      const [form, ...rest] = command as string[];
      if (form === 'CMD') {
        if (rest.length === 0)
          hits.push({
            path,
            message: '"CMD" needs the executable after it, e.g. ["CMD", "node", "healthcheck.js"]',
          });
      } else if (form === 'CMD-SHELL') {
        if (rest.length !== 1) {
          hits.push({
            path,
            message: `"CMD-SHELL" takes exactly one command string, e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]; got ${rest.length}`,
          });
        }
      } else {
        hits.push({
          path: [...path, 0],
          message: `the health-check command starts with "CMD" or "CMD-SHELL", not ${JSON.stringify(form)}; e.g. ["CMD-SHELL", ${JSON.stringify(command.join(' '))}]`,
        });
      }
    }
    return hits;
  },
);
