import type { InfraConfigInput } from './schema.js';

/**
 * The example environment: the original Terraform setup's values
 * (infra/docs/configuration.md) where they make sense. The hosted zone, domain and
 * GitHub repository are placeholders; replace them (and add
 * `connectionArn` if a connection already exists) before deploying.
 */
export const staging = {
  prefix: 'myproject',
  environment: 'staging',
  region: 'us-east-2',
  network: {
    azCount: 2,
    vpcCidr: '10.1.0.0/16',
    natGateways: 'single',
  },
  site: {
    domainName: 'staging.myapp.example.com',
    hostedZoneId: 'Z0123456789EXAMPLE',
    hostedZoneName: 'example.com',
  },
  source: {
    owner: 'example-owner',
    repo: 'webapp-color',
    branch: 'master',
  },
  service: {
    minCount: 2,
    maxCount: 5,
  },
  deployment: {
    strategy: { type: 'all-at-once' },
    terminationWaitMinutes: 5,
  },
  tags: {
    Owner: 'platform-team',
    Env: 'staging',
  },
} satisfies InfraConfigInput;
