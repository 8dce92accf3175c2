import type { App } from 'aws-cdk-lib';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { configWith, resourcesOf, stagingConfig, synthesize, type Synthesized } from './support.js';

/**
 * After the first release CodeDeploy owns the service's task-definition
 * revision and the listeners' target groups. CloudFormation only updates
 * a resource whose template properties changed, so these must not change
 * when configuration that has nothing to do with them does.
 */
const synthesizedBefore = synthesize(stagingConfig);
const synthesizedAfter = synthesize(
  configWith((input) => ({
    ...input,
    service: { minCount: 3, maxCount: 8, cpuTargetPercent: 60 },
    deployment: {
      strategy: { type: 'canary', percent: 20, intervalMinutes: 10 },
      terminationWaitMinutes: 30,
    },
    alarms: { target5xxPerMinute: 50, p95LatencySeconds: 1 },
    tags: { Owner: 'someone-else', CostCenter: '42' },
  })),
  // A release-relevant change to the definition: a new bootstrap revision, nothing else.
  {
    ...webappColor,
    container: {
      ...webappColor.container,
      environment: { ...webappColor.container.environment, APP_COLOR: 'pink' },
    },
  },
);
const before = resourcesOf(synthesizedBefore.app);
const after = resourcesOf(synthesizedAfter.app);

/**
 * The stack tags of the cloud assembly manifest, by stack: what `cdk deploy`
 * passes to CloudFormation as stack tags, which CloudFormation then applies
 * to every taggable resource of the stack, the CODE_DEPLOY service included.
 */
function manifestStackTags({ stacks }: Synthesized): Record<string, unknown> {
  const assembly = (stacks.app.node.root as App).synth();
  return Object.fromEntries(assembly.stacks.map((stack) => [stack.stackName, stack.tags]));
}

describe('stability across re-deploys', () => {
  it('the service keeps naming its task definition by family while the bootstrap revision changes', () => {
    expect(after.Service!.Properties.TaskDefinition).toBe(
      before.Service!.Properties.TaskDefinition,
    );
    expect(after.Service!.Properties.LoadBalancers).toEqual(
      before.Service!.Properties.LoadBalancers,
    );
    const containers = (r: typeof before) =>
      JSON.stringify(
        Object.values(r).find((x) => JSON.stringify(x).includes('"ContainerDefinitions"')),
      );
    expect(containers(after)).not.toBe(containers(before));
  });

  it('every listener is unchanged, so CloudFormation never flips traffic back', () => {
    for (const id of ['ProductionListener', 'TestListener']) {
      expect(after[id]!.Properties, id).toEqual(before[id]!.Properties);
    }
    // Target groups may get new tags (an in-place tag update that moves no traffic); nothing else changes.
    const untagged = ({ Tags: _tags, ...rest }: Record<string, unknown>) => rest;
    for (const id of ['BlueTargetGroup', 'GreenTargetGroup']) {
      expect(untagged(after[id]!.Properties), id).toEqual(untagged(before[id]!.Properties));
    }
    const httpListener = (r: typeof before) =>
      Object.entries(r).find(([, x]) => x.Properties?.Port === 80)?.[1];
    expect(httpListener(after)).toEqual(httpListener(before));
  });

  it('leaves the CODE_DEPLOY service resource byte-for-byte unchanged when tags and task counts change', () => {
    // A change would make CloudFormation call UpdateService with every
    // property, which ECS refuses for a CODE_DEPLOY service (aws-cdk#23564).
    expect(JSON.stringify(after.Service)).toBe(JSON.stringify(before.Service));
  });

  it('does not give the stacks tags, so a tag change never reaches the service through CloudFormation', () => {
    const tagsBefore = manifestStackTags(synthesizedBefore);
    expect(Object.keys(tagsBefore)).toHaveLength(2);
    expect(manifestStackTags(synthesizedAfter)).toEqual(tagsBefore);
    for (const tags of Object.values(tagsBefore)) expect(tags).toEqual({});
  });

  it('creates the configured tags on the resources other than the service and listeners', () => {
    const bucketTags = (r: typeof before) => r.ArtifactBucket!.Properties.Tags;
    expect(bucketTags(after)).toEqual(
      expect.arrayContaining([
        { Key: 'Owner', Value: 'someone-else' },
        { Key: 'CostCenter', Value: '42' },
      ]),
    );
    expect(after.Service!.Properties.Tags).toBeUndefined();
  });

  it('the changed settings do reach the deployment group and autoscaling', () => {
    expect(after.DeploymentGroup!.Properties.DeploymentConfigName).not.toEqual(
      before.DeploymentGroup!.Properties.DeploymentConfigName,
    );
    const target = (r: typeof before) =>
      Object.values(r).find((x) => x.Type === 'AWS::ApplicationAutoScaling::ScalableTarget')!
        .Properties;
    expect(target(after)).toMatchObject({ MinCapacity: 3, MaxCapacity: 8 });
    expect(target(before)).toMatchObject({ MinCapacity: 2, MaxCapacity: 5 });
  });
});
