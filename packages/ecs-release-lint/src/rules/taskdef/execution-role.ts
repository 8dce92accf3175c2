import { hasItems, stringAt } from '../../access/node.js';
import { logConfiguration, type ContainerView } from '../../access/taskdef.js';
import { documentRule } from '../../core/rule.js';
import { containers, task } from './task.js';

// RegisterTaskDefinition answers ClientException "Fargate requires task definition to have
// execution role ARN to support log driver awslogs" (and "… to support ECR images"), as reported
// in hashicorp/terraform-provider-aws#3051 and virtual-kubelet/virtual-kubelet#193.
const PRIVATE_ECR = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//;

/** What in a container needs the task execution role on Fargate (the id of its message), or undefined. */
function needsExecutionRole(container: ContainerView): string | undefined {
  const logs = logConfiguration(container);
  if (logs?.logDriver === 'awslogs') return 'awslogs';
  if (hasItems(container, 'secrets')) return 'secrets';
  if (logs !== undefined && hasItems(logs, 'secretOptions')) return 'secretOptions';
  if (container.fields.repositoryCredentials !== undefined) return 'repositoryCredentials';
  const image = stringAt(container, 'image');
  if (image !== undefined && PRIVATE_ECR.test(image)) return 'privateEcr';
  return undefined;
}

export const taskdefExecutionRole = documentRule(
  {
    id: 'TASKDEF_EXECUTION_ROLE',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      awslogs:
        'container {{name}}uses the awslogs log driver, which on Fargate needs the task execution role: set "executionRoleArn" on the task',
      secrets:
        'container {{name}}uses secrets, which on Fargate needs the task execution role: set "executionRoleArn" on the task',
      secretOptions:
        'container {{name}}uses log driver secretOptions, which on Fargate needs the task execution role: set "executionRoleArn" on the task',
      repositoryCredentials:
        'container {{name}}uses private registry credentials, which on Fargate needs the task execution role: set "executionRoleArn" on the task',
      privateEcr:
        'container {{name}}uses a private Amazon ECR image, which on Fargate needs the task execution role: set "executionRoleArn" on the task',
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
      const need = needsExecutionRole(container);
      if (need === undefined) continue;
      return [
        {
          path: container.path,
          messageId: need,
          data: { name: container.name !== undefined ? `"${container.name}" ` : '' },
        },
      ];
    }
    return [];
  },
);
