import { awsvpcConfiguration } from '../../access/appspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { APPSPEC_ECS_DOCS, targetServices } from './appspec.js';
import { ecsAppSpecOnly } from './resource-type.js';

export const appspecAssignPublicIp = documentRule(
  {
    id: 'APPSPEC_ASSIGN_PUBLIC_IP',
    kind: 'appspec',
    requires: ecsAppSpecOnly,
    messages: {
      notEnum: 'AssignPublicIp is "ENABLED" or "DISABLED", not {{value}}; write {{hint}}',
    },
    severity: 'error',
    summary: 'NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp is ENABLED or DISABLED.',
    why: 'CodeDeploy takes only the strings ENABLED and DISABLED; YAML turns yes/true into a boolean, which fails the deployment.',
    reference: APPSPEC_ECS_DOCS,
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const service of targetServices(document)) {
      const awsvpc = awsvpcConfiguration(service);
      const value = awsvpc?.fields.AssignPublicIp;
      if (awsvpc === undefined || value === undefined) continue;
      if (value === 'ENABLED' || value === 'DISABLED') continue;
      const hint =
        value === true || value === 'true' || value === 'yes'
          ? 'ENABLED'
          : value === false || value === 'false' || value === 'no'
            ? 'DISABLED'
            : 'ENABLED or DISABLED';
      hits.push({
        path: [...awsvpc.path, 'AssignPublicIp'],
        messageId: 'notEnum',
        data: { value: JSON.stringify(value), hint },
      });
    }
    return hits;
  },
);
