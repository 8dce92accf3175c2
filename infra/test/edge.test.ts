/* eslint-disable @typescript-eslint/no-unsafe-assignment -- vitest's asymmetric matchers (expect.objectContaining, expect.any…) are typed any */
import { Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { Edge, type EdgeProps } from '../lib/constructs/edge.js';
import { deregistrationDelaySeconds } from '../lib/timings.js';
import { newApp, resourcesOf } from './support.js';

const { container } = webappColor;

function build(overrides: Partial<EdgeProps> = {}) {
  const stack = new Stack(newApp(), 'EdgeTest', { env: { region: 'us-east-2' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
  });
  const edge = new Edge(stack, 'Edge', {
    vpc,
    domainName: 'myapp.example.com',
    hostedZoneId: 'Z0123456789EXAMPLE',
    hostedZoneName: 'example.com',
    containerPort: container.port,
    healthCheckPath: container.healthCheckPath,
    healthCheck: {
      intervalSeconds: 10,
      timeoutSeconds: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
    },
    deregistrationDelay: Duration.seconds(deregistrationDelaySeconds(webappColor)),
    testListenerPort: 9000,
    accessLogRetentionDays: 90,
    ...overrides,
  });
  const peer = new ec2.SecurityGroup(stack, 'Peer', { vpc });
  edge.allowTestTrafficFrom(peer, 'smoke test');
  return { edge, template: Template.fromStack(stack), stack };
}

describe('Edge', () => {
  const { template } = build();

  it('creates an internet-facing ALB with access logs to an encrypted, TLS-only bucket', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'access_logs.s3.enabled', Value: 'true' }]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
      ]),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('creates HTTPS 443 with a DNS-validated certificate and a TLS 1.2+ policy, forwarding to blue', () => {
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'myapp.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [
        { DomainName: 'myapp.example.com', HostedZoneId: 'Z0123456789EXAMPLE' },
      ],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'BlueTargetGroup' } }],
    });
  });

  it('creates HTTP 80 answering 301 to HTTPS', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'redirect',
          RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
        },
      ],
    });
  });

  it('creates the test listener forwarding to green, open only to the given security group', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 9000,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'GreenTargetGroup' } }],
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 9000,
      ToPort: 9000,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Peer'), 'GroupId'] },
    });
    const albGroups = template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: Match.stringLikeRegexp('^ALB') },
    });
    const ingress = Object.values(albGroups).flatMap(
      (sg) =>
        (sg as { Properties: { SecurityGroupIngress: { CidrIp?: string; FromPort: number }[] } })
          .Properties.SecurityGroupIngress,
    );
    expect(ingress.map((rule) => `${rule.CidrIp}:${rule.FromPort}`).sort()).toEqual([
      '0.0.0.0/0:443',
      '0.0.0.0/0:80',
    ]);
  });

  it("creates blue and green IP target groups checking the definition's health route on the definition's port", () => {
    for (const id of ['BlueTargetGroup', 'GreenTargetGroup']) {
      const props = resourcesOf(template)[id]!.Properties;
      expect(props).toMatchObject({
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: container.port,
        HealthCheckPath: container.healthCheckPath,
        HealthCheckPort: 'traffic-port',
        HealthCheckIntervalSeconds: 10,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        Matcher: { HttpCode: '200' },
        TargetGroupAttributes: expect.arrayContaining([
          {
            Key: 'deregistration_delay.timeout_seconds',
            Value: String(Math.ceil(webappColor.shutdown.forceExitMs / 1000)),
          },
        ]),
      });
    }
  });

  it('creates the alias record for the site', () => {
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'myapp.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789EXAMPLE',
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue() }),
    });
  });
});
