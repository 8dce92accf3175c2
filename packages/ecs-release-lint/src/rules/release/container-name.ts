import type { Rule, RuleHit } from '../../core/rule.js';
import { APPSPEC_ECS_DOCS } from '../appspec/appspec.js';
import { at, containerList, loadBalancerTargets } from './release.js';

export const releaseContainerName: Rule = {
  id: 'RELEASE_CONTAINER_NAME',
  stage: 'release',
  kinds: ['appspec', 'taskdef'],
  severity: 'error',
  messages: {
    notInTaskdef:
      'ContainerName "{{name}}" is not a container of {{taskdef}} ({{where}} has {{names}}); make the two names equal',
  },
  summary: "The AppSpec's LoadBalancerInfo.ContainerName is a container of the taskdef.",
  why: 'CodeDeploy attaches the load balancer to the container of that name in the new task set; when the task definition has none, the deployment fails after the new tasks start.',
  reference: APPSPEC_ECS_DOCS,
  check({ taskdef, appspec }) {
    if (taskdef?.value === undefined || appspec?.value === undefined) return [];
    const names = containerList(taskdef).flatMap((container) => container.name ?? []);
    return loadBalancerTargets(appspec)
      .filter((target) => typeof target.name === 'string' && !names.includes(target.name))
      .map((target): RuleHit => ({
        document: 'appspec',
        path: target.namePath,
        messageId: 'notInTaskdef',
        data: {
          name: String(target.name),
          taskdef: taskdef.file,
          where: at(taskdef, ['containerDefinitions']),
          names: names.map((name) => `"${name}"`).join(', ') || 'none',
        },
      }));
  },
};
