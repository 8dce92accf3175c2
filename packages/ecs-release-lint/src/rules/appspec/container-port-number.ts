import { loadBalancerInfo } from '../../access/appspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { APPSPEC_ECS_DOCS, targetServices } from './appspec.js';
import { ecsAppSpecOnly } from './resource-type.js';

export const appspecContainerPort = documentRule(
  {
    id: 'APPSPEC_CONTAINER_PORT_NUMBER',
    kind: 'appspec',
    requires: ecsAppSpecOnly,
    messages: {
      notAPort: 'ContainerPort must be a whole number from 1 to 65535, not {{port}}',
      quoted: 'ContainerPort is documented as a number: write {{port}} without quotes',
    },
    severity: 'error',
    summary:
      'LoadBalancerInfo.ContainerPort is a port number (1-65535); a quoted number is a warning.',
    why: "The load balancer sends traffic to this port. A quoted number deploys (AWS's own CDK examples use ContainerPort: '80'), but the reference documents a number; anything else cannot be a port.",
    reference: APPSPEC_ECS_DOCS,
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const service of targetServices(document)) {
      const info = loadBalancerInfo(service);
      const port = info?.containerPort;
      if (info === undefined || port === undefined) continue;
      const path = [...info.path, 'ContainerPort'];
      const number = typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : port;
      if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535) {
        hits.push({
          path,
          messageId: 'notAPort',
          data: { port: JSON.stringify(port) },
        });
      } else if (typeof port === 'string') {
        hits.push({
          path,
          severity: 'warning',
          messageId: 'quoted',
          data: { port },
        });
      }
    }
    return hits;
  },
);
