import type * as Environments from '@webapp-color/infra/environments';
import type { InfraConfigInput } from '@webapp-color/infra/environments';

/**
 * staging-ecs as infra/config/staging-ecs.ts writes it: staging on ECS's
 * own blue/green (a canary of 10 percent, the rest after 5 minutes, a
 * 15-minute bake), built from staging's input and parsed with infra's
 * schema. infra now registers staging-ecs in `environments` itself; the
 * tests keep their own copy so they do not follow edits of that example.
 */
export function stagingEcsInput(staging: InfraConfigInput): InfraConfigInput {
  return {
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
  };
}

/**
 * infra's environments module with staging-ecs added, for `vi.mock`: the
 * CLI then resolves `--env staging-ecs` as it would a registered one,
 * through infra's own schema.
 */
export function withStagingEcs(actual: typeof Environments): typeof Environments {
  const staging = actual.environments.staging;
  if (!staging) throw new Error('infra/config/index.ts no longer registers staging');
  const input = stagingEcsInput(staging);
  return {
    ...actual,
    environments: { ...actual.environments, 'staging-ecs': input },
    loadInfraConfig: (name: string) =>
      name === 'staging-ecs' ? actual.parseInfraConfig(name, input) : actual.loadInfraConfig(name),
  };
}
