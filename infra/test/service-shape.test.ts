import {
  CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksOutput,
} from '@aws-sdk/client-cloudformation';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { webappColor, type DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../lambda/live-traffic/index.js';
import type { InfraConfigInput } from '../config/index.js';
import {
  configWith,
  describeGuardStack,
  GUARD_STACK_ID,
  resourcesOf,
  stagingConfig,
  synthesize,
  type ResourceJson,
} from './support.js';

/**
 * What the CODE_DEPLOY service is created with and cannot take in place
 * (ECS UpdateService changes only its desired count, deployment
 * configuration, health check grace period, placement, managed tags and
 * propagate tags): either it never reaches the service, or the
 * ServiceShapeGuard refuses the change before anything moves.
 */

const STACK_ID = GUARD_STACK_ID;
const cloudformation = mockClient(CloudFormationClient);

// The test files share one module graph (vitest.config.ts): the SDK's
// clients go back to normal for the next file.
afterAll(() => {
  cloudformation.restore();
});
const clients = {
  cloudformation: new CloudFormationClient({}),
  codedeploy: new CodeDeployClient({}),
  elbv2: new ElasticLoadBalancingV2Client({}),
};

const deployed = {
  ServiceToken: 'arn:aws:lambda:us-east-2:123456789012:function:provider',
  NetworkAzCount: '2',
  NetworkVpcCidr: '10.1.0.0/16',
  ContainerName: 'webapp-color',
  ContainerPort: '8080',
  ServiceLogicalId: 'Service',
};

function update(next: Partial<typeof deployed>): CloudFormationCustomResourceEvent {
  return {
    RequestType: 'Update',
    ServiceToken: deployed.ServiceToken,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast2.s3.amazonaws.com/x',
    StackId: STACK_ID,
    RequestId: 'b1c3a5e7-0000-4000-8000-000000000001',
    LogicalResourceId: 'ServiceShape',
    PhysicalResourceId: 'service-shape-ServiceShape',
    ResourceType: 'Custom::ServiceShape',
    ResourceProperties: { ...deployed, ...next },
    OldResourceProperties: deployed,
  };
}

function stackIs(status: 'UPDATE_IN_PROGRESS' | 'UPDATE_ROLLBACK_IN_PROGRESS') {
  cloudformation
    .on(DescribeStacksCommand, { StackName: STACK_ID })
    .resolves(describeGuardStack(status) as DescribeStacksOutput);
}

beforeEach(() => {
  cloudformation.reset();
  stackIs('UPDATE_IN_PROGRESS');
});

describe('ServiceShapeGuard: the handler', () => {
  it.each([
    [{ NetworkAzCount: '3' }, 'network.azCount (config) = "3" (deployed: "2")'],
    [
      { NetworkVpcCidr: '10.2.0.0/16' },
      'network.vpcCidr (config) = "10.2.0.0/16" (deployed: "10.1.0.0/16")',
    ],
    [
      { ContainerName: 'web' },
      'container.name (delivery definition) = "web" (deployed: "webapp-color")',
    ],
    [{ ContainerPort: '3000' }, 'container.port (delivery definition) = "3000" (deployed: "8080")'],
  ])(
    'fails when %j changes, naming the setting, both values and what to do',
    async (next, named) => {
      const refusal = handler(update(next), clients);
      await expect(refusal).rejects.toThrow(named);
      await expect(refusal).rejects.toThrow(
        /CODE_DEPLOY deployment controller.*Nothing was changed/,
      );
      await expect(refusal).rejects.toThrow('"Changes that do need a new service"');
    },
  );

  it('fails naming every changed setting at once', async () => {
    await expect(
      handler(update({ NetworkAzCount: '3', ContainerPort: '3000' }), clients),
    ).rejects.toThrow(/network\.azCount .*; container\.port /);
  });

  it('does not refuse an update that leaves the shape as deployed', async () => {
    await expect(
      handler(
        update({ ServiceToken: 'arn:aws:lambda:us-east-2:123456789012:function:other' }),
        clients,
      ),
    ).resolves.toEqual({ PhysicalResourceId: 'service-shape-ServiceShape' });
  });

  it('does not refuse a planned replacement: the service has a new logical id', async () => {
    await expect(
      handler(update({ NetworkAzCount: '3', ServiceLogicalId: 'ServiceV2' }), clients),
    ).resolves.toEqual({ PhysicalResourceId: 'service-shape-ServiceShape' });
  });

  it('does not refuse on the rollback replay (stack UPDATE_ROLLBACK_IN_PROGRESS)', async () => {
    stackIs('UPDATE_ROLLBACK_IN_PROGRESS');
    // The replay sends the deployed shape back as the new properties.
    await expect(handler(update({ NetworkAzCount: '3' }), clients)).resolves.toEqual({
      PhysicalResourceId: 'service-shape-ServiceShape',
    });
  });

  it('creates and deletes without a question', async () => {
    const created = { ...update({}), RequestType: 'Create' } as CloudFormationCustomResourceEvent;
    await expect(handler(created, clients)).resolves.toEqual({
      PhysicalResourceId: 'service-shape-ServiceShape',
    });
    expect(cloudformation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });
});

/** Synthesize the staging app with a config and/or definition change. */
function appWith(
  patch: (input: InfraConfigInput) => InfraConfigInput = (input) => input,
  definition: DeliveryDefinition = webappColor,
): Record<string, ResourceJson> {
  return resourcesOf(synthesize(configWith(patch), definition).app);
}

const before = resourcesOf(synthesize(stagingConfig, webappColor).app);
const shapeIdOf = (resources: Record<string, ResourceJson>) =>
  Object.entries(resources).find(([, r]) => r.Type === 'Custom::ServiceShape')![0];

/** What UpdateService changes for a CODE_DEPLOY service, and tags. */
const UPDATABLE = [
  'DesiredCount',
  'DeploymentConfiguration',
  'HealthCheckGracePeriodSeconds',
  'EnableECSManagedTags',
  'PropagateTags',
  'Tags',
  'PlacementConstraints',
  'PlacementStrategies',
];

/**
 * The Service properties CloudFormation cannot change under CODE_DEPLOY
 * (everything but those UpdateService takes), and what the service names
 * that a setting can replace behind the same reference: its subnets' CIDRs
 * and its target group's port and VPC.
 */
function fixedAtCreation(resources: Record<string, ResourceJson>): string {
  const fixed = Object.fromEntries(
    Object.entries(resources.Service!.Properties).filter(([key]) => !UPDATABLE.includes(key)),
  );
  const network = fixed.NetworkConfiguration as {
    AwsvpcConfiguration: { Subnets: { Ref: string }[] };
  };
  const subnets = network.AwsvpcConfiguration.Subnets.map(
    ({ Ref }) => resources[Ref]!.Properties.CidrBlock,
  );
  const targetGroups = (fixed.LoadBalancers as { TargetGroupArn: { Ref: string } }[]).map(
    ({ TargetGroupArn }) => {
      const { Port, VpcId } = resources[TargetGroupArn.Ref]!.Properties;
      return { Port, VpcId, vpc: resources[(VpcId as { Ref: string }).Ref]!.Properties.CidrBlock };
    },
  );
  return JSON.stringify({ fixed, subnets, targetGroups });
}

const withPort = (port: number): DeliveryDefinition => ({
  ...webappColor,
  container: { ...webappColor.container, port },
});

describe('ServiceShapeGuard: what reaches the CODE_DEPLOY service', () => {
  it('creates a synthesized app with an azCount of 3 only by refusing it, naming the field', () => {
    expect(() => appWith((i) => ({ ...i, network: { ...i.network, azCount: 3 } }))).toThrow(
      /network\.azCount = 3: must be 2/,
    );
  });

  it('creates the guard from the configured network and the definition’s container, and the VPC and service after it', () => {
    const shapeId = shapeIdOf(before);
    expect(before[shapeId]!.Properties).toMatchObject({
      NetworkAzCount: String(stagingConfig.network.azCount),
      NetworkVpcCidr: stagingConfig.network.vpcCidr,
      ContainerName: webappColor.container.name,
      ContainerPort: String(webappColor.container.port),
      ServiceLogicalId: 'Service',
    });
    const vpcId = Object.entries(before).find(([, r]) => r.Type === 'AWS::EC2::VPC')![0];
    expect(before[vpcId]!.DependsOn).toContain(shapeId);
    expect(before.Service!.DependsOn).toContain(shapeId);
  });

  it('leaves the service resource byte-for-byte unchanged when the definition’s platform version changes: releases carry it in the AppSpec', () => {
    const after = resourcesOf(
      synthesize(stagingConfig, {
        ...webappColor,
        task: { ...webappColor.task, platformVersion: '1.4.0' },
      }).app,
    );
    expect(JSON.stringify(after.Service)).toBe(JSON.stringify(before.Service));
    expect(after.Service!.Properties.PlatformVersion).toBe('LATEST');
  });

  // Every change here either leaves what the service is created with alone,
  // or changes the guard's properties, so CloudFormation calls the guard
  // and it refuses. The first three are the ones that reach the service;
  // network.azCount is refused by the configuration itself (only 2: see
  // test/config.test.ts), and the guard holds it too.
  const changes: [string, () => Record<string, ResourceJson>, boolean][] = [
    [
      'network.vpcCidr',
      () => appWith((i) => ({ ...i, network: { ...i.network, vpcCidr: '10.2.0.0/16' } })),
      true,
    ],
    ['container.port', () => resourcesOf(synthesize(stagingConfig, withPort(3000)).app), true],
    [
      'container.name',
      () =>
        resourcesOf(
          synthesize(stagingConfig, {
            ...webappColor,
            container: { ...webappColor.container, name: 'web' },
          }).app,
        ),
      true,
    ],
    [
      'network.natGateways',
      () => appWith((i) => ({ ...i, network: { ...i.network, natGateways: 'per-az' } })),
      false,
    ],
    [
      'loadBalancer (test port, health check)',
      () =>
        appWith((i) => ({
          ...i,
          loadBalancer: { testListenerPort: 9443, healthCheck: { intervalSeconds: 15 } },
        })),
      false,
    ],
    [
      'service counts, tags',
      () =>
        appWith((i) => ({
          ...i,
          service: { minCount: 3, maxCount: 8 },
          tags: { Owner: 'someone-else' },
        })),
      false,
    ],
  ];

  it.each(changes)(
    'a change of %s reaches the service only through the guard',
    (_name, synthesizeChanged, reachesService) => {
      const after = synthesizeChanged();
      const serviceChanged = fixedAtCreation(after) !== fixedAtCreation(before);
      expect(serviceChanged).toBe(reachesService);
      const guardChanged =
        JSON.stringify(after[shapeIdOf(after)]!.Properties) !==
        JSON.stringify(before[shapeIdOf(before)]!.Properties);
      expect(guardChanged).toBe(serviceChanged);
    },
  );
});
