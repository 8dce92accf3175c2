import { awsvpcConfiguration } from '../../access/appspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { APPSPEC_ECS_DOCS, targetServices } from './appspec.js';
import { ecsAppSpecOnly } from './resource-type.js';

const AWSVPC_SETTINGS = ['Subnets', 'SecurityGroups', 'AssignPublicIp'] as const;

export const appspecNetworkAllOrNone = documentRule(
  {
    id: 'APPSPEC_NETWORK_ALL_OR_NONE',
    kind: 'appspec',
    requires: ecsAppSpecOnly,
    messages: {
      empty:
        "AwsvpcConfiguration is empty: CodeDeploy takes all of Subnets, SecurityGroups and AssignPublicIp or none; add {{missing}}, or remove NetworkConfiguration to keep the service's network settings",
      incomplete:
        "AwsvpcConfiguration sets {{present}} but not {{absent}}: CodeDeploy takes all of Subnets, SecurityGroups and AssignPublicIp or none; add {{missing}}, or remove NetworkConfiguration to keep the service's network settings",
    },
    severity: 'error',
    summary:
      'A NetworkConfiguration.AwsvpcConfiguration sets all of Subnets, SecurityGroups and AssignPublicIp.',
    why: 'The AppSpec reference says "All or none of the settings under NetworkConfiguration must be specified": to set Subnets you must also set SecurityGroups and AssignPublicIp. Leave NetworkConfiguration out to keep the service\'s own network settings.',
    reference: APPSPEC_ECS_DOCS,
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const service of targetServices(document)) {
      const awsvpc = awsvpcConfiguration(service);
      if (awsvpc === undefined) continue;
      const missing = AWSVPC_SETTINGS.filter((setting) => awsvpc.fields[setting] === undefined);
      if (missing.length === 0) continue;
      const present = AWSVPC_SETTINGS.filter((setting) => !missing.includes(setting));
      hits.push({
        path: awsvpc.path,
        at: 'key',
        ...(present.length > 0
          ? {
              messageId: 'incomplete',
              data: {
                present: present.join(', '),
                absent: missing.join(', '),
                missing: missing.join(' and '),
              },
            }
          : { messageId: 'empty', data: { missing: missing.join(' and ') } }),
      });
    }
    return hits;
  },
);
