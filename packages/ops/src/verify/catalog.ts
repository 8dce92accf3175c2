import type { Check } from './check.js';
import { alarmsCheck } from './checks/alarms.js';
import { certificateCheck } from './checks/certificate.js';
import { connectionCheck } from './checks/connection.js';
import { deploymentControllerCheck } from './checks/deployment-controller.js';
import { deploymentsCheck } from './checks/deployments.js';
import { dnsCheck } from './checks/dns.js';
import { hooksCheck } from './checks/hooks.js';
import { imagesCheck } from './checks/images.js';
import { listenerRulesCheck } from './checks/listener-rules.js';
import { listenersCheck } from './checks/listeners.js';
import { notificationsCheck } from './checks/notifications.js';
import { serviceDeploymentsCheck } from './checks/service-deployments.js';
import { serviceCheck } from './checks/service.js';

/**
 * The checks, in the order of infra/docs/assurance.md's "What only a real account
 * can confirm"; each runs on the controllers it names (check.ts).
 */
export const CHECKS: readonly Check[] = [
  connectionCheck,
  certificateCheck,
  dnsCheck,
  listenersCheck,
  listenerRulesCheck,
  deploymentsCheck,
  serviceDeploymentsCheck,
  serviceCheck,
  deploymentControllerCheck,
  hooksCheck,
  imagesCheck,
  alarmsCheck,
  notificationsCheck,
];
