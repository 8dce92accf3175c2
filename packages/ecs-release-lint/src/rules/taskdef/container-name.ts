import { documentRule, type RuleHit } from '../../core/rule.js';
import { CONTAINER_API, containers } from './task.js';

/** ECS container names: up to 255 letters, numbers, hyphens and underscores. */
export const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export const taskdefContainerName = documentRule(
  {
    id: 'TASKDEF_CONTAINER_NAME',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      invalid:
        'container name {{name}} may hold only letters, numbers, hyphens and underscores (1-255); e.g. {{suggestion}}',
    },
    summary: 'A container name has 1-255 letters, numbers, hyphens and underscores.',
    why: 'RegisterTaskDefinition rejects any other character in a container name (a space, a dot, a slash).',
    reference: CONTAINER_API,
  },
  (document) =>
    containers(document)
      .filter(({ name }) => name !== undefined && !CONTAINER_NAME.test(name))
      .map((container): RuleHit => ({
        path: [...container.path, 'name'],
        messageId: 'invalid',
        data: {
          name: JSON.stringify(container.name),
          suggestion: JSON.stringify(
            String(container.name)
              .replace(/[^A-Za-z0-9_-]+/g, '-')
              .slice(0, 255) || 'web',
          ),
        },
      })),
);
