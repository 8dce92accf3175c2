import { documentRule, isRecord, type RuleHit } from '../../core/rule.js';
import { containers, isFargate } from './task.js';

export const taskdefAwslogsOptions = documentRule(
  {
    id: 'TASKDEF_AWSLOGS_OPTIONS',
    kind: 'taskdef',
    severity: 'error',
    summary:
      'An awslogs log configuration sets awslogs-group and awslogs-region, and on Fargate awslogs-stream-prefix.',
    why: 'The awslogs driver needs the group and the region to start the container; Fargate also requires the stream prefix (on EC2 it is optional).',
    reference: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html',
  },
  (document) => {
    if (!isRecord(document)) return [];
    const required = ['awslogs-group', 'awslogs-region'];
    if (isFargate(document)) required.push('awslogs-stream-prefix');
    const hits: RuleHit[] = [];
    for (const [index, container] of containers(document)) {
      const configuration = container.logConfiguration;
      if (!isRecord(configuration) || configuration.logDriver !== 'awslogs') continue;
      const options = isRecord(configuration.options) ? configuration.options : {};
      const missing = required.filter(
        (name) => typeof options[name] !== 'string' || options[name] === '',
      );
      if (missing.length > 0) {
        hits.push({
          path: [
            'containerDefinitions',
            index,
            'logConfiguration',
            ...(isRecord(configuration.options) ? ['options'] : []),
          ],
          message: `the awslogs driver needs ${missing.map((name) => `"${name}"`).join(', ')} in logConfiguration.options${missing.includes('awslogs-stream-prefix') ? ' (Fargate requires the stream prefix)' : ''}`,
        });
      }
    }
    return hits;
  },
);
