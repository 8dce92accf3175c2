import { documentRule, isRecord } from '../../core/rule.js';
import { containers, isFargate } from './task.js';

// RegisterTaskDefinition answers ClientException "Fargate requires task definition to have
// execution role ARN to support log driver awslogs" (and "… to support ECR images"), as reported
// in hashicorp/terraform-provider-aws#3051 and virtual-kubelet/virtual-kubelet#193.
const PRIVATE_ECR = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//;

/** What in a container needs the task execution role on Fargate, or undefined. */
function needsExecutionRole(container: Record<string, unknown>): string | undefined {
  const logs = isRecord(container.logConfiguration) ? container.logConfiguration : {};
  if (logs.logDriver === 'awslogs') return 'the awslogs log driver';
  if (Array.isArray(container.secrets) && container.secrets.length > 0) return 'secrets';
  if (Array.isArray(logs.secretOptions) && logs.secretOptions.length > 0)
    return 'log driver secretOptions';
  if (container.repositoryCredentials !== undefined) return 'private registry credentials';
  if (typeof container.image === 'string' && PRIVATE_ECR.test(container.image))
    return 'a private Amazon ECR image';
  return undefined;
}

export const taskdefExecutionRole = documentRule(
  {
    id: 'TASKDEF_EXECUTION_ROLE',
    kind: 'taskdef',
    severity: 'error',
    summary:
      'A Fargate task that uses awslogs, secrets or a private registry (ECR or credentials) sets executionRoleArn.',
    why: 'On Fargate the ECS agent pulls private images, writes awslogs and reads secrets with the task execution role; RegisterTaskDefinition rejects such a task definition without one.',
    reference:
      'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
  },
  (document) => {
    if (!isRecord(document) || !isFargate(document) || document.executionRoleArn !== undefined)
      return [];
    for (const [index, container] of containers(document)) {
      const reason = needsExecutionRole(container);
      if (reason === undefined) continue;
      return [
        {
          path: ['containerDefinitions', index],
          message: `container ${typeof container.name === 'string' ? `"${container.name}" ` : ''}uses ${reason}, which on Fargate needs the task execution role: set "executionRoleArn" on the task`,
        },
      ];
    }
    return [];
  },
);
