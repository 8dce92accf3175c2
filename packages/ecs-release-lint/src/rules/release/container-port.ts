import type { Rule, RuleHit } from '../../core/rule.js';
import { portMappings } from '../../access/taskdef.js';
import { APPSPEC_ECS_DOCS } from '../appspec/appspec.js';
import { at, containerList, loadBalancerTargets } from './release.js';

export const releaseContainerPort: Rule = {
  id: 'RELEASE_CONTAINER_PORT',
  stage: 'release',
  kinds: ['appspec', 'taskdef'],
  severity: 'error',
  messages: {
    notMapped:
      'ContainerPort {{port}} is not a containerPort of container "{{name}}" in {{where}} (it maps {{ports}}); make them equal',
    noPortMappings:
      'ContainerPort {{port}} is not a containerPort of container "{{name}}" in {{where}} (it has no portMappings); make them equal',
  },
  summary:
    "The AppSpec's ContainerPort is a portMappings.containerPort of that container in the taskdef.",
  why: 'The target group registers the container on this port; a port the container does not map fails the deployment or leaves the targets unhealthy.',
  reference: APPSPEC_ECS_DOCS,
  check({ taskdef, appspec }) {
    if (taskdef?.value === undefined || appspec?.value === undefined) return [];
    const hits: RuleHit[] = [];
    for (const target of loadBalancerTargets(appspec)) {
      const container = containerList(taskdef).find(
        (candidate) => candidate.fields.name === target.name,
      );
      if (!container || typeof target.port !== 'number') continue;
      const ports = portMappings(container).map((mapping) => mapping.containerPort);
      if (ports.includes(target.port)) continue;
      const place = at(taskdef, [
        ...container.path,
        ...(container.fields.portMappings === undefined ? [] : ['portMappings']),
      ]);
      hits.push({
        document: 'appspec',
        path: target.portPath,
        messageId: ports.length > 0 ? 'notMapped' : 'noPortMappings',
        data: {
          port: target.port,
          name: String(target.name),
          where: place,
          ports: ports.join(', '),
        },
      });
    }
    return hits;
  },
};
