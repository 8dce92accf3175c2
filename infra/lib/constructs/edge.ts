import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { pinLogicalId } from '../pin.js';

export interface EdgeHealthCheck {
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/**
 * The priority of the traffic rules on their listeners: the drift guard
 * finds them by it (lambda/live-rules/resolve-rules.ts).
 */
export const TRAFFIC_RULE_PRIORITY = 1;

/** The listener rules of the ECS controller, one per listener. */
export interface TrafficRules {
  readonly production: elbv2.ApplicationListenerRule;
  readonly test: elbv2.ApplicationListenerRule;
}

export interface EdgeProps {
  readonly vpc: ec2.IVpc;
  /** The site's host name (the alias record and the certificate). */
  readonly domainName: string;
  /** The hosted zone, by id and name: no lookup. */
  readonly hostedZoneId: string;
  readonly hostedZoneName: string;
  /** The container port the target groups forward to (from the delivery definition). */
  readonly containerPort: number;
  /** The app's health route (from the delivery definition). */
  readonly healthCheckPath: string;
  readonly healthCheck: EdgeHealthCheck;
  /** How long a deregistering target still gets in-flight requests: the app's drain time. */
  readonly deregistrationDelay: Duration;
  /** Port of the test listener, reachable only from inside the VPC. */
  readonly testListenerPort: number;
  readonly accessLogRetentionDays: number;
}

/**
 * The stable front door: internet-facing ALB, HTTPS with a DNS-validated
 * certificate and a TLS 1.2+ policy, HTTP answering 301 to HTTPS, the alias
 * record, the blue and green target groups and the test listener.
 *
 * CodeDeploy owns which target group the listeners forward to after the
 * first release. CloudFormation only calls ModifyListener when a
 * listener's properties change in the template, so every property here is
 * derived from configuration that does not change between releases; see
 * infra/docs/redeploys.md ("The listeners follow the live target group").
 */
export class Edge extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  readonly productionListener: elbv2.ApplicationListener;
  readonly testListener: elbv2.ApplicationListener;
  readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
  readonly accessLogsBucket: s3.Bucket;
  readonly siteUrl: string;
  readonly testListenerPort: number;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    // Validated once: the health check by the configuration schema, the
    // path and drain time by the delivery definition's.
    const { healthCheck } = props;
    this.testListenerPort = props.testListenerPort;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      // ALB access logs support SSE-S3 only (not KMS).
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.accessLogsBucket, 'AccessLogsBucket');
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log destination itself; logging it into itself would loop.',
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: 'ALB: HTTPS and HTTP from the internet; test listener from inside the VPC only',
      allowAllOutbound: false,
    });
    this.securityGroup.addIngressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'HTTPS from the internet',
    );
    this.securityGroup.addIngressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(80),
      'HTTP from the internet (301 to HTTPS)',
    );
    Validations.of(this.securityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        'A public website: 443 and 80 (which only redirects to 443) are open to the internet by design; the test listener port is not.',
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.securityGroup,
      dropInvalidHeaderFields: true,
    });
    this.loadBalancer.logAccessLogs(this.accessLogsBucket, 'alb');

    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.hostedZoneId,
      zoneName: props.hostedZoneName,
    });
    const certificate = new acm.Certificate(this, 'Certificate', {
      domainName: props.domainName,
      validation: acm.CertificateValidation.fromDns(zone),
    });

    const targetGroup = (name: string) =>
      new elbv2.ApplicationTargetGroup(this, name, {
        vpc: props.vpc,
        targetType: elbv2.TargetType.IP,
        protocol: elbv2.ApplicationProtocol.HTTP,
        port: props.containerPort,
        deregistrationDelay: props.deregistrationDelay,
        healthCheck: {
          path: props.healthCheckPath,
          protocol: elbv2.Protocol.HTTP,
          port: 'traffic-port',
          healthyHttpCodes: '200',
          interval: Duration.seconds(healthCheck.intervalSeconds),
          timeout: Duration.seconds(healthCheck.timeoutSeconds),
          healthyThresholdCount: healthCheck.healthyThreshold,
          unhealthyThresholdCount: healthCheck.unhealthyThreshold,
        },
      });
    this.blueTargetGroup = targetGroup('BlueTargetGroup');
    this.greenTargetGroup = targetGroup('GreenTargetGroup');
    pinLogicalId(this.blueTargetGroup, 'BlueTargetGroup');
    pinLogicalId(this.greenTargetGroup, 'GreenTargetGroup');

    // Created forwarding to blue; CodeDeploy moves it on every release.
    this.productionListener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultAction: elbv2.ListenerAction.forward([this.blueTargetGroup]),
    });
    pinLogicalId(this.productionListener, 'ProductionListener');

    this.loadBalancer.addListener('HttpRedirect', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.redirect({
        protocol: 'HTTPS',
        port: '443',
        permanent: true,
      }),
    });

    // Plain HTTP inside the VPC: only the smoke test reaches it (see allowTestTrafficFrom).
    this.testListener = this.loadBalancer.addListener('Test', {
      port: props.testListenerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.forward([this.greenTargetGroup]),
    });
    pinLogicalId(this.testListener, 'TestListener');

    new route53.ARecord(this, 'AliasRecord', {
      zone,
      recordName: props.domainName,
      target: route53.RecordTarget.fromAlias(
        new route53Targets.LoadBalancerTarget(this.loadBalancer),
      ),
    });
    this.siteUrl = `https://${props.domainName}`;
  }

  /**
   * Make both listeners forward to the target groups that serve now (the
   * LiveTrafficGuard's answers) instead of the blue/green they were created
   * with: after an odd number of releases production is on green, and a
   * listener update must not write blue back.
   */
  forwardToLiveTargetGroups(
    production: { readonly live: string; readonly idle: string },
    test: { readonly live: string; readonly idle: string },
  ): void {
    for (const [listener, targets] of [
      [this.productionListener, production],
      [this.testListener, test],
    ] as const) {
      const cfn = listener.node.defaultChild as elbv2.CfnListener;
      // The shape CodeDeploy leaves after a release: the idle group stays at
      // weight 0 so the next replacement task set is registered and
      // health-checked behind the listener during Install (CodeDeploy
      // service team, traveloka/terraform-aws-alb-single-listener#47).
      cfn.addPropertyOverride('DefaultActions', [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: targets.live, Weight: 100 },
              { TargetGroupArn: targets.idle, Weight: 0 },
            ],
          },
        },
      ]);
    }
  }

  /**
   * The listener rules ECS's own deployment controller moves (the ECS
   * controller shifts rules, never a listener's default action): on each
   * listener one rule matching every path, forwarding to blue with green at
   * weight 0, so both target groups are associated with the rule ECS
   * rewrites. The test rule starts on blue as well: green is empty until a
   * deployment, and ECS points the test rule at it (TEST_TRAFFIC_SHIFT)
   * before production moves. The default actions stay as created and are
   * never reached.
   */
  addTrafficRules(): TrafficRules {
    const rule = (id: string, listener: elbv2.ApplicationListener) =>
      new elbv2.ApplicationListenerRule(this, id, {
        listener,
        priority: TRAFFIC_RULE_PRIORITY,
        conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
        action: elbv2.ListenerAction.weightedForward([
          { targetGroup: this.blueTargetGroup, weight: 100 },
          { targetGroup: this.greenTargetGroup, weight: 0 },
        ]),
      });
    const rules = {
      production: rule('ProductionRule', this.productionListener),
      test: rule('TestRule', this.testListener),
    };
    pinLogicalId(rules.production, 'ProductionRule');
    pinLogicalId(rules.test, 'TestRule');
    return rules;
  }

  /**
   * Make both traffic rules forward to the target groups that serve now
   * (the LiveRuleGuard's answers): after an odd number of releases ECS has
   * production on green, and a rule update must not write blue back. The
   * idle group stays in the rule at weight 0, associated for the next
   * deployment.
   */
  forwardRulesToLiveTargetGroups(
    rules: TrafficRules,
    production: { readonly live: string; readonly idle: string },
    test: { readonly live: string; readonly idle: string },
  ): void {
    for (const [rule, targets] of [
      [rules.production, production],
      [rules.test, test],
    ] as const) {
      (rule.node.defaultChild as elbv2.CfnListenerRule).addPropertyOverride('Actions', [
        {
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: targets.live, Weight: 100 },
              { TargetGroupArn: targets.idle, Weight: 0 },
            ],
          },
        },
      ]);
    }
  }

  /** Open the test listener to one in-VPC peer (a security group), never to an address range. */
  allowTestTrafficFrom(peer: ec2.IConnectable, description: string): void {
    this.loadBalancer.connections.allowFrom(peer, ec2.Port.tcp(this.testListenerPort), description);
  }
}
