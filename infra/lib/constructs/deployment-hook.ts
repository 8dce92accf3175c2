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
import { HOOK_API_CALLS } from '../../lambda/hooks/api-calls.js';
import type { HookEnvironment } from '../../lambda/hooks/settings.js';
import { nagLogicalId } from '../nag.js';

export type HookLifecycleEvent = 'AfterAllowTestTraffic' | 'AfterAllowTraffic';

export interface DeploymentHookProps {
  readonly lifecycleEvent: HookLifecycleEvent;
  /**
   * The function's fixed name: every release's AppSpec names it, so it must
   * still exist, under that name, after any later `cdk deploy`.
   */
  readonly functionName: string;
  readonly vpc: ec2.IVpc;
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The listener it checks: the test listener, or production once traffic has moved. */
  readonly listener: { readonly protocol: 'http' | 'https'; readonly port: number };
  /** Host header and TLS server name of the checks (the site's name). */
  readonly siteHost: string;
  readonly containerName: string;
  readonly healthCheckPath: string;
  readonly pagePath: string;
  readonly versionPath: string;
  /** The container environment variable holding the release's version. */
  readonly versionVariable: string;
  readonly requireVersion: boolean;
}

const entry = fileURLToPath(new URL('../../lambda/hooks/index.ts', import.meta.url));

/** The Lambda timeout: the checks' budget plus the time kept to report (see CHECK_BUDGET_MS). */
export const HOOK_TIMEOUT = Duration.minutes(5);
/** Time between the end of the check budget and the Lambda timeout, to report the outcome. */
export const HOOK_REPORT_MARGIN = Duration.minutes(1);

/**
 * One CodeDeploy ECS lifecycle hook: a Lambda in the private subnets that
 * calls one listener on the load balancer's private addresses (an
 * internet-facing ALB's DNS name resolves to public IPs, which from a
 * private subnet would leave through the NAT gateway), checks the health,
 * page and version routes, and reports to CodeDeploy within its timeout.
 */
export class DeploymentHook extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: DeploymentHookProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.lifecycleEvent} hook: reaches the ALB and AWS APIs`,
      allowAllOutbound: true,
    });
    const logGroup = (this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    }));
    const environment: HookEnvironment = {
      HOOK_LIFECYCLE_EVENT: props.lifecycleEvent,
      LISTENER_PROTOCOL: props.listener.protocol,
      LISTENER_PORT: String(props.listener.port),
      SITE_HOST: props.siteHost,
      HEALTH_PATH: props.healthCheckPath,
      PAGE_PATH: props.pagePath,
      VERSION_PATH: props.versionPath,
      CONTAINER_NAME: props.containerName,
      VERSION_VARIABLE: props.versionVariable,
      REQUIRE_VERSION: String(props.requireVersion),
      CHECK_BUDGET_MS: String(HOOK_TIMEOUT.toMilliseconds() - HOOK_REPORT_MARGIN.toMilliseconds()),
      // The description EC2 gives an ALB's network interfaces: "ELB app/<name>/<id>".
      LOAD_BALANCER_ENI_DESCRIPTION: `ELB ${props.loadBalancer.loadBalancerFullName}`,
    };
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      entry,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: HOOK_TIMEOUT,
      logGroup,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      description: `CodeDeploy ${props.lifecycleEvent} hook: health, page and version on the ${props.listener.protocol}:${props.listener.port} listener`,
      environment: { ...environment },
      bundling: {
        // Local esbuild only: synth stays offline and Docker-free.
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        target: 'node24',
        // The Node.js Lambda runtimes ship the AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
      },
    });

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
          'The AWS managed policy a VPC Lambda needs for its ENIs; those EC2 calls support no resource scoping.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecs:DescribeTaskDefinition and ec2:DescribeNetworkInterfaces support no resource-level permission (Service Authorization Reference).',
      },
    );
  }

  /**
   * Allow every call the hook makes (HOOK_API_CALLS), and nothing more:
   * CodeDeploy calls on this deployment group and its application only.
   */
  grantHook(deploymentGroup: codedeploy.IEcsDeploymentGroup): void {
    const resources: Record<(typeof HOOK_API_CALLS)[number]['scope'], string> = {
      deploymentGroup: deploymentGroup.deploymentGroupArn,
      application: deploymentGroup.application.applicationArn,
      any: '*',
    };
    for (const scope of ['deploymentGroup', 'application', 'any'] as const) {
      const actions = HOOK_API_CALLS.filter((call) => call.scope === scope).map((c) => c.action);
      if (actions.length === 0) continue;
      this.function.addToRolePolicy(
        new iam.PolicyStatement({ actions, resources: [resources[scope]] }),
      );
    }
  }

  /** The nag id of this function's ARN pattern, for the invoke grant's acknowledgement. */
  get functionNagId(): string {
    return nagLogicalId(this.function);
  }
}
