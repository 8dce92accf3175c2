import { startAwsStandIn, type AwsStandIn } from '@webapp-color/aws-local';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OPS_API_CALLS, READ_ONLY_OPERATION } from '../src/index.js';
import { runCli, useStandIn } from './support.js';
import { NAMES, healthyWorld } from './world.js';
import { healthyEcsWorld } from './world-ecs.js';

vi.mock('@webapp-color/infra/environments', async (importOriginal) => {
  const { withStagingEcs } = await import('./ecs-environment.js');
  return withStagingEcs(await importOriginal());
});

/**
 * Read-only, proven from the calls made: every request the stand-in
 * received while verify and releases ran is a Describe, Get or List (or
 * STS GetCallerIdentity) of OPS_API_CALLS, and every entry of that list was
 * made on one controller or the other (staging on CodeDeploy, staging-ecs
 * on ECS's own), so the README's policy is exactly what the commands need (as
 * infra's hook-bundle test proves the hooks' role from their calls).
 */
let aws: AwsStandIn;
beforeAll(async () => {
  aws = await startAwsStandIn(healthyWorld());
  useStandIn(aws);
});
afterAll(() => aws.close());

describe('verify and releases', () => {
  it('make only the read calls of OPS_API_CALLS, and all of them, on both controllers', async () => {
    // A running deployment too, so the stuck-deployment check reads it.
    aws.world.deployments.push({
      deploymentId: 'd-RUNNING01',
      applicationName: NAMES.application,
      deploymentGroupName: NAMES.group,
      status: 'InProgress',
      appSpecContent: 'version: 0.0',
      lifecycleEventHookExecutionIds: [],
      createTime: new Date(Date.now() - 60_000),
    });
    expect((await runCli(['verify', '--env', 'staging'])).code).toBe(0);
    expect((await runCli(['releases', '--env', 'staging', '--since', '366d'])).code).toBe(0);
    Object.assign(aws.world, healthyEcsWorld());
    expect((await runCli(['verify', '--env', 'staging-ecs'])).code).toBe(0);
    expect((await runCli(['releases', '--env', 'staging-ecs', '--since', '366d'])).code).toBe(0);

    const made = [...new Set(aws.calls.map((call) => `${call.service}:${call.operation}`))].sort();
    const listed = OPS_API_CALLS.map((call) => `${call.service}:${call.operation}`).sort();
    expect(made).toEqual(listed);
    for (const call of aws.calls) expect(call.operation).toMatch(READ_ONLY_OPERATION);
    for (const call of OPS_API_CALLS) {
      expect(call.action).toBe(`${call.service}:${call.operation}`);
    }
  });
});
