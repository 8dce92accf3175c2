import type { InfraConfigInput } from './schema.js';
import { staging } from './staging.js';

/**
 * The production environment: promoted from staging (deployed by staging's
 * pipeline, from the same build, after staging's deployment, a manual
 * approval, no staging rollback alarm in ALARM and the deployment window).
 * Stricter than staging: more tasks, ECS's own blue/green with a linear
 * shift (20 percent every 5 minutes) and a 30-minute bake, a pause after
 * the test-traffic shift (rolled back unless someone continues it within an
 * hour), tighter alarms, its own domain and VPC range. Same account as
 * staging by default; set `account` to deploy it across accounts
 * (infra/docs/environments.md).
 */
export const production = {
  ...staging,
  environment: 'production',
  network: { ...staging.network, vpcCidr: '10.3.0.0/16', natGateways: 'per-az' },
  site: { ...staging.site, domainName: 'myapp.example.com' },
  service: { minCount: 3, maxCount: 10 },
  deployment: {
    controller: 'ecs',
    strategy: { type: 'linear', percent: 20, intervalMinutes: 5 },
    terminationWaitMinutes: 30,
    pause: { stage: 'POST_TEST_TRAFFIC_SHIFT', timeoutMinutes: 60, onTimeout: 'ROLLBACK' },
  },
  alarms: {
    loadBalancer5xxPerMinute: 2,
    target5xxPerMinute: 2,
    unhealthyHosts: 1,
    p95LatencySeconds: 1,
    evaluationPeriods: 1,
  },
  promotion: {
    from: 'staging',
    approval: { timeoutMinutes: 1440 },
    // Working hours in Paris: every minute of 09:00–16:59, Monday to Friday.
    window: {
      cron: '* * 9-16 ? * MON-FRI',
      timeZone: 'Europe/Paris',
      durationMinutes: 480,
    },
  },
  tags: { ...staging.tags, Env: 'production' },
} satisfies InfraConfigInput;
