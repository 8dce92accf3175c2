import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface SmokeTestHookProps {
  readonly vpc: ec2.IVpc;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly testListenerPort: number;
  /** Host header of the checks (the site's name). */
  readonly siteHost: string;
  readonly containerName: string;
  readonly healthCheckPath: string;
  readonly pagePath: string;
  readonly versionPath: string;
  /** The container environment variable holding the release's version. */
  readonly versionVariable: string;
  readonly requireVersion: boolean;
}

const entry = fileURLToPath(new URL('../../lambda/smoke-test/index.ts', import.meta.url));

/**
 * The `AfterAllowTestTraffic` hook: a Lambda in the private subnets that
 * calls the test listener on the load balancer's private addresses (an
 * internet-facing ALB's DNS name resolves to public IPs, which from a
 * private subnet would leave through the NAT gateway), checks the health,
 * page and version routes, and reports to CodeDeploy.
 */
export class SmokeTestHook extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SmokeTestHookProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'Smoke test: reaches the ALB test listener and AWS APIs',
      allowAllOutbound: true,
    });
    const logGroup = (this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    }));
    const timeout = Duration.minutes(5);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout,
      logGroup,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      description:
        'CodeDeploy AfterAllowTestTraffic hook: health, page and version on the test listener',
      environment: {
        TEST_LISTENER_PORT: String(props.testListenerPort),
        SITE_HOST: props.siteHost,
        HEALTH_PATH: props.healthCheckPath,
        PAGE_PATH: props.pagePath,
        VERSION_PATH: props.versionPath,
        CONTAINER_NAME: props.containerName,
        VERSION_VARIABLE: props.versionVariable,
        REQUIRE_VERSION: String(props.requireVersion),
        // Leave a minute to report the outcome within the Lambda timeout.
        CHECK_BUDGET_MS: String(timeout.toMilliseconds() - 60_000),
        // The description EC2 gives an ALB's network interfaces: "ELB app/<name>/<id>".
        LOAD_BALANCER_ENI_DESCRIPTION: `ELB ${props.loadBalancer.loadBalancerFullName}`,
      },
      bundling: {
        // Local esbuild only: synth stays offline and Docker-free.
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        target: 'node22',
        // The Node 22 runtime ships the AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
      },
    });

    // The VPC access policy CDK attaches already allows ec2:DescribeNetworkInterfaces,
    // which is all the address discovery needs.
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadReleaseTaskDefinition',
        actions: ['ecs:DescribeTaskDefinition'],
        // DescribeTaskDefinition supports no resource-level permission.
        resources: ['*'],
      }),
    );
    const role = this.function.role!;
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'The AWS managed policy for writing the function’s own logs; scoped by AWS and kept current.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          'The AWS managed policy a VPC Lambda needs for its ENIs (and ec2:DescribeNetworkInterfaces for the ALB addresses); those EC2 calls support no resource scoping.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecs:DescribeTaskDefinition supports no resource-level permission (Service Authorization Reference).',
      },
    );
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the LTS the project targets (the app’s container and the handler’s tests); bump with the container.',
    });
  }

  /** Allow the hook to read its deployment and report to CodeDeploy, on this deployment group only. */
  grantHook(deploymentGroup: codedeploy.IEcsDeploymentGroup): void {
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReportToOwnDeploymentGroup',
        actions: ['codedeploy:GetDeployment', 'codedeploy:PutLifecycleEventHookExecutionStatus'],
        resources: [deploymentGroup.deploymentGroupArn],
      }),
    );
  }
}
