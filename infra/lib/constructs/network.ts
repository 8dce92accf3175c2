import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { retentionDays } from '../retention.js';

export interface NetworkProps {
  /** Availability zones to span (2 or 3). */
  readonly azCount: number;
  /** The VPC CIDR, /16 to /22. */
  readonly vpcCidr: string;
  /** One NAT gateway for the VPC, or one per AZ. */
  readonly natGateways: 'single' | 'per-az';
  /** Days the flow logs are kept. */
  readonly flowLogRetentionDays: number;
}

/**
 * VPC with a public and a private subnet per AZ, NAT gateway(s) for the
 * tasks' egress (ECR, CloudWatch Logs), an S3 gateway endpoint (image
 * layers come from S3 without NAT charges) and flow logs.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    // The configuration schema admits only 2–3 AZs and a /16–/22 CIDR.
    const prefixLength = Number(props.vpcCidr.split('/')[1]);

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: retentionDays(props.flowLogRetentionDays, 'network.flowLogRetentionDays'),
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.vpcCidr),
      maxAzs: props.azCount,
      natGateways: props.natGateways === 'single' ? 1 : props.azCount,
      // Two subnets per AZ, each 1/16 of the VPC: the default /16 gives /20s.
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: prefixLength + 4 },
        {
          name: 'private',
          subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS,
          cidrMask: prefixLength + 4,
        },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
      flowLogs: {
        all: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
      // Nothing uses the default security group; restricting it would add a
      // custom-resource Lambda to every deploy for no gain here.
      restrictDefaultSecurityGroup: false,
    });
  }
}
