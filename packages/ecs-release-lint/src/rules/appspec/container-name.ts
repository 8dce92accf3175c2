import { CONTAINER_NAME } from '../taskdef/container-name.js';
import { loadBalancerInfo } from '../../access/appspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { APPSPEC_ECS_DOCS, targetServices } from './appspec.js';
import { ecsAppSpecOnly } from './resource-type.js';

const TEMPLATE_VARIABLE = /\$\{?[A-Za-z_]|\{\{|#\{/;

export const appspecContainerName = documentRule(
  {
    id: 'APPSPEC_CONTAINER_NAME',
    kind: 'appspec',
    requires: ecsAppSpecOnly,
    messages: {
      notAName:
        "ContainerName {{name}} cannot be an ECS container name (letters, numbers, hyphens and underscores only); put the name of the task definition's container here",
    },
    severity: 'error',
    summary:
      'LoadBalancerInfo.ContainerName is a container name (letters, numbers, hyphens, underscores), not a template text.',
    why: 'CodeDeploy routes traffic to the container of that name in the task definition; a value no container can have, such as "[Your container Name]", fails every deployment.',
    reference: APPSPEC_ECS_DOCS,
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const service of targetServices(document)) {
      const info = loadBalancerInfo(service);
      const name = info?.containerName;
      if (info === undefined || typeof name !== 'string') continue;
      // A whole-value <PLACEHOLDER> is SPEC_UNFILLED_PLACEHOLDER's finding; a template
      // variable ($NAME, ${name}, {{name}}, #{Namespace.name}) is filled before CodeDeploy reads it.
      if (CONTAINER_NAME.test(name) || /^<[^<>]+>$/.test(name) || TEMPLATE_VARIABLE.test(name))
        continue;
      hits.push({
        path: [...info.path, 'ContainerName'],
        messageId: 'notAName',
        data: { name: JSON.stringify(name) },
      });
    }
    return hits;
  },
);
