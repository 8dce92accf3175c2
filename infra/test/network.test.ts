import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { Network, type NetworkProps } from '../lib/constructs/network.js';
import { newApp } from './support.js';

const base: NetworkProps = {
  azCount: 2,
  vpcCidr: '10.1.0.0/16',
  natGateways: 'single',
  flowLogRetentionDays: 30,
};

function template(props: NetworkProps): Template {
  const stack = new Stack(newApp(), 'NetworkTest', { env: { region: 'us-east-2' } });
  new Network(stack, 'Network', props);
  return Template.fromStack(stack);
}

describe('Network', () => {
  const single = template(base);

  it('creates the VPC with a public and a private /20 per AZ (10.1.0.0/16 split in 16)', () => {
    single.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.1.0.0/16' });
    const cidrs = Object.values(single.findResources('AWS::EC2::Subnet')).map(
      (subnet) => (subnet as { Properties: { CidrBlock: string } }).Properties.CidrBlock,
    );
    expect(cidrs.sort()).toEqual(['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/20', '10.1.48.0/20']);
    single.resourceCountIs('AWS::EC2::InternetGateway', 1);
  });

  it('creates one NAT gateway by default and one per AZ as an option', () => {
    single.resourceCountIs('AWS::EC2::NatGateway', 1);
    template({ ...base, natGateways: 'per-az' }).resourceCountIs('AWS::EC2::NatGateway', 2);
  });

  it('creates an S3 gateway endpoint and flow logs of all traffic', () => {
    single.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: Match.objectLike({
        'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('s3')])]),
      }),
    });
    single.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
    single.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  // AZ count and CIDR are checked once, by the configuration schema (config.test.ts).
  it('fails when the flow-log retention is not one CloudWatch Logs offers', () => {
    expect(() => template({ ...base, flowLogRetentionDays: 2 })).toThrow(
      /network\.flowLogRetentionDays = 2: CloudWatch Logs accepts only 1, 3, 5/,
    );
  });
});
