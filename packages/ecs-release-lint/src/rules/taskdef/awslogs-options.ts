import { logConfiguration } from '../../access/taskdef.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { containers, task } from './task.js';

export const taskdefAwslogsOptions = documentRule(
  {
    id: 'TASKDEF_AWSLOGS_OPTIONS',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      missing: 'the awslogs driver needs {{options}} in logConfiguration.options',
      missingOnFargate:
        'the awslogs driver needs {{options}} in logConfiguration.options (Fargate requires the stream prefix)',
    },
    summary:
      'An awslogs log configuration sets awslogs-group and awslogs-region, and on Fargate awslogs-stream-prefix.',
    why: 'The awslogs driver needs the group and the region to start the container; Fargate also requires the stream prefix (on EC2 it is optional).',
    reference: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html',
  },
  (document) => {
    const taskdef = task(document);
    if (taskdef === undefined) return [];
    const required = ['awslogs-group', 'awslogs-region'];
    if (taskdef.fargate) required.push('awslogs-stream-prefix');
    const hits: RuleHit[] = [];
    for (const container of containers(document)) {
      const configuration = logConfiguration(container);
      if (configuration?.logDriver !== 'awslogs') continue;
      const options = configuration.options?.fields ?? {};
      const missing = required.filter(
        (name) => typeof options[name] !== 'string' || options[name] === '',
      );
      if (missing.length > 0) {
        hits.push({
          path: (configuration.options ?? configuration).path,
          messageId: missing.includes('awslogs-stream-prefix') ? 'missingOnFargate' : 'missing',
          data: { options: missing.map((name) => `"${name}"`).join(', ') },
        });
      }
    }
    return hits;
  },
);
