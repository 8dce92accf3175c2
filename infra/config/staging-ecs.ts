import type { InfraConfigInput } from './schema.js';
import { staging } from './staging.js';

/**
 * The example environment on ECS's own blue/green (deployment controller
 * ECS): staging's values, another environment name and VPC range, and a
 * canary (10 percent, the rest after 5 minutes) with a 15-minute bake time.
 * Its releases are deployed by the ship program (infra/docs/deployments.md).
 */
export const stagingEcs = {
  ...staging,
  environment: 'staging-ecs',
  network: { ...staging.network, vpcCidr: '10.2.0.0/16' },
  site: { ...staging.site, domainName: 'myapp-ecs.example.com' },
  deployment: {
    controller: 'ecs',
    strategy: { type: 'canary', percent: 10, intervalMinutes: 5 },
    terminationWaitMinutes: 15,
  },
  tags: { ...staging.tags, Env: 'staging-ecs' },
} satisfies InfraConfigInput;
