import { hasItems, stringAt } from '../../access/node.js';
import { logConfiguration, type ContainerView } from '../../access/taskdef.js';
import { documentRule } from '../../core/rule.js';
import { containers, task } from './task.js';

// RegisterTaskDefinition answers ClientException "Fargate requires task definition to have
// execution role ARN to support log driver awslogs" (and "… to support ECR images"), as reported
// in hashicorp/terraform-provider-aws#3051 and virtual-kubelet/virtual-kubelet#193.
const PRIVATE_ECR = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//;

/** What in a container needs the task execution role on Fargate, or undefined. */
function needsExecutionRole(container: ContainerView): string | undefined {
  const logs = logConfiguration(container);
  if (logs?.logDriver === 'awslogs') return 'the awslogs log driver';
  if (hasItems(container, 'secrets')) return 'secrets';
  if (logs !== undefined && hasItems(logs, 'secretOptions')) return 'log driver secretOptions';
  if (container.fields.repositoryCredentials !== undefined) return 'private registry credentials';
  const image = stringAt(container, 'image');
  if (image !== undefined && PRIVATE_ECR.test(image)) return 'a private Amazon ECR image';
  return undefined;
}

export const taskdefExecutionRole = documentRule(
  {
    id: 'TASKDEF_EXECUTION_ROLE',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      missing:
        'container {{name}}uses {{reason}}, which on Fargate needs the task execution role: set "executionRoleArn" on the task',
    },
    summary:
      'A Fargate task that uses awslogs, secrets or a private registry (ECR or credentials) sets executionRoleArn.',
    why: 'On Fargate the ECS agent pulls private images, writes awslogs and reads secrets with the task execution role; RegisterTaskDefinition rejects such a task definition without one.',
    reference:
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
  },
  (document) => {
    const taskdef = task(document);
    if (!taskdef?.fargate || taskdef.fields.executionRoleArn !== undefined) return [];
    for (const container of containers(document)) {
      const reason = needsExecutionRole(container);
      if (reason === undefined) continue;
      return [
        {
          path: container.path,
          messageId: 'missing',
          data: { name: container.name !== undefined ? `"${container.name}" ` : '', reason },
        },
      ];
    }
    return [];
  },
);
