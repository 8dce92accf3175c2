import { logConfiguration } from '../../access/taskdef.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { containers, task } from './task.js';

export const FARGATE_LOG_DRIVERS = ['awslogs', 'splunk', 'awsfirelens'] as const;

export const taskdefFargateLogDriver = documentRule(
  {
    id: 'TASKDEF_FARGATE_LOG_DRIVER',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      unsupported:
        'Fargate supports the log drivers awslogs, splunk and awsfirelens, not "{{driver}}"; use awslogs (CloudWatch Logs) or route through a FireLens container',
    },
    summary: 'A Fargate container logs with awslogs, splunk or awsfirelens.',
    why: 'The LogConfiguration reference: "For tasks on AWS Fargate, the supported log drivers are awslogs, splunk, and awsfirelens"; json-file, syslog, fluentd, gelf, journald and logentries need a Docker daemon on an EC2 host.',
    reference:
      'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html',
  },
  (document) => {
    if (!task(document)?.fargate) return [];
    const supported: readonly string[] = FARGATE_LOG_DRIVERS;
    return containers(document).flatMap((container): RuleHit[] => {
      const configuration = logConfiguration(container);
      const driver = configuration?.logDriver;
      if (configuration === undefined || typeof driver !== 'string' || supported.includes(driver))
        return [];
      return [
        {
          path: [...configuration.path, 'logDriver'],
          messageId: 'unsupported',
          data: { driver },
        },
      ];
    });
  },
);
