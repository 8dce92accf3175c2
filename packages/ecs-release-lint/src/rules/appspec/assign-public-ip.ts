import { documentRule, isRecord, type RuleHit } from '../../core/rule.js';
import { APPSPEC_ECS_DOCS, properties, targetServices } from './appspec.js';

export const appspecAssignPublicIp = documentRule(
  {
    id: 'APPSPEC_ASSIGN_PUBLIC_IP',
    kind: 'appspec',
    severity: 'error',
    summary: 'NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp is ENABLED or DISABLED.',
    why: 'CodeDeploy takes only the strings ENABLED and DISABLED; YAML turns yes/true into a boolean, which fails the deployment.',
    reference: APPSPEC_ECS_DOCS,
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const [index, service] of targetServices(document)) {
      const networkConfiguration = properties(service)?.NetworkConfiguration;
      const awsvpc = isRecord(networkConfiguration)
        ? networkConfiguration.AwsvpcConfiguration
        : undefined;
      if (!isRecord(awsvpc) || awsvpc.AssignPublicIp === undefined) continue;
      const value = awsvpc.AssignPublicIp;
      if (value === 'ENABLED' || value === 'DISABLED') continue;
      const hint =
        value === true || value === 'true' || value === 'yes'
          ? 'ENABLED'
          : value === false || value === 'false' || value === 'no'
            ? 'DISABLED'
            : 'ENABLED or DISABLED';
      hits.push({
        path: [
          'Resources',
          index,
          'TargetService',
          'Properties',
          'NetworkConfiguration',
          'AwsvpcConfiguration',
          'AssignPublicIp',
        ],
        message: `AssignPublicIp is "ENABLED" or "DISABLED", not ${JSON.stringify(value)}; write ${hint}`,
      });
    }
    return hits;
  },
);
