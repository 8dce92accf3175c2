import {
  CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksOutput,
} from '@aws-sdk/client-cloudformation';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../lambda/live-traffic/index.js';
import { ServiceShapeGuard } from '../lib/constructs/service-shape-guard.js';
import { constructStack } from './stand-ins.js';
import { describeGuardStack, GUARD_STACK_ID, resourcesOf } from './support.js';

/**
 * What the CODE_DEPLOY service is created with and cannot take in place
 * (ECS UpdateService changes only its desired count, deployment
 * configuration, health check grace period, placement, managed tags and
 * propagate tags): either it never reaches the service, or the
 * ServiceShapeGuard refuses the change before anything moves. The guard
 * alone and its handler here; which settings reach it, on the composed
 * app, in app.test.ts.
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

describe('ServiceShapeGuard: the construct', () => {
  // A minimal real VPC and service: the guard holds the service's logical id
  // and makes both depend on it.
  const stack = constructStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
  });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'TaskDefinition');
  taskDefinition.addContainer('App', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:stable'),
  });
  const service = new ecs.FargateService(stack, 'WebService', {
    cluster: new ecs.Cluster(stack, 'Cluster', { vpc }),
    taskDefinition,
  });
  new ServiceShapeGuard(stack, 'ServiceShape', {
    serviceToken: deployed.ServiceToken,
    service,
    vpc,
    shape: {
      NetworkAzCount: deployed.NetworkAzCount,
      NetworkVpcCidr: deployed.NetworkVpcCidr,
      ContainerName: deployed.ContainerName,
      ContainerPort: deployed.ContainerPort,
    },
  });
  const resources = resourcesOf(Template.fromStack(stack));
  const [shapeId, shape] = Object.entries(resources).find(
    ([, r]) => r.Type === 'Custom::ServiceShape',
  )!;
  const [serviceId] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::ECS::Service')!;
  const [vpcId] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::EC2::VPC')!;

  it('creates the guard with the shape as literals and the service’s logical id', () => {
    expect(shape.Properties).toEqual({
      ServiceToken: deployed.ServiceToken,
      NetworkAzCount: '2',
      NetworkVpcCidr: '10.1.0.0/16',
      ContainerName: 'webapp-color',
      ContainerPort: '8080',
      ServiceLogicalId: serviceId,
    });
  });

  it('creates the VPC and the service after the guard, so its refusal comes first', () => {
    expect(resources[vpcId]!.DependsOn).toContain(shapeId);
    expect(resources[serviceId]!.DependsOn).toContain(shapeId);
  });
});
