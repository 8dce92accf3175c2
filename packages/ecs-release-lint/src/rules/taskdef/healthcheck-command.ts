import { healthCheckCommand } from '../../access/taskdef.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { containers } from './task.js';

export const taskdefHealthCheckCommand = documentRule(
  {
    id: 'TASKDEF_HEALTHCHECK_COMMAND',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      cmdWithoutExecutable:
        '"CMD" needs the executable after it, e.g. ["CMD", "node", "healthcheck.js"]',
      cmdShellArity:
        '"CMD-SHELL" takes exactly one command string, e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]; got {{count}}',
      unknownForm:
        'the health-check command starts with "CMD" or "CMD-SHELL", not {{form}}; e.g. ["CMD-SHELL", {{command}}]',
    },
    summary: 'healthCheck.command is ["CMD", exe, args…] or ["CMD-SHELL", "one command string"].',
    why: 'ECS hands the command to Docker: any other first word, or a CMD-SHELL command split into words, makes every check fail and ECS replaces healthy tasks.',
    reference: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html',
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const container of containers(document)) {
      const command = healthCheckCommand(container);
      if (command === undefined) continue;
      const { path, parts } = command;
      const [form, ...rest] = parts;
      if (form === 'CMD') {
        if (rest.length === 0)
          hits.push({
            path,
            messageId: 'cmdWithoutExecutable',
          });
      } else if (form === 'CMD-SHELL') {
        if (rest.length !== 1) {
          hits.push({
            path,
            messageId: 'cmdShellArity',
            data: { count: rest.length },
          });
        }
      } else {
        hits.push({
          path: [...path, 0],
          messageId: 'unknownForm',
          data: { form: JSON.stringify(form), command: JSON.stringify(parts.join(' ')) },
        });
      }
    }
    return hits;
  },
);
