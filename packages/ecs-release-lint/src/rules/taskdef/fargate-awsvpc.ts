import { documentRule } from '../../core/rule.js';
import { task } from './task.js';

export const taskdefFargateAwsvpc = documentRule(
  {
    id: 'TASKDEF_FARGATE_AWSVPC',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      missing: 'a Fargate task needs "networkMode": "awsvpc"; add it',
      otherMode: 'Fargate supports only networkMode "awsvpc", not {{networkMode}}',
    },
    summary: 'A Fargate task uses networkMode awsvpc.',
    why: 'Fargate supports only the awsvpc network mode; RegisterTaskDefinition rejects a Fargate task definition with bridge, host or none.',
    reference:
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#network_mode',
  },
  (document) => {
    const taskdef = task(document);
    const { networkMode } = taskdef?.fields ?? {};
    if (!taskdef?.fargate || networkMode === 'awsvpc') return [];
    return networkMode === undefined
      ? [{ path: ['networkMode'], messageId: 'missing' }]
      : [
          {
            path: ['networkMode'],
            messageId: 'otherMode',
            data: { networkMode: JSON.stringify(networkMode) },
          },
        ];
  },
);
