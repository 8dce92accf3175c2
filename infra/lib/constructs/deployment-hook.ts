import { createRequire } from 'node:module';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  LIVE_IMAGE_TAG,
  PREVIOUS_IMAGE_TAG,
  hookApiCalls,
  hookEnvironment,
  type HookApiCall,
  type HookLifecycleEvent,
} from '@webapp-color/hooks';
import { LAMBDA_BUNDLING } from '../lambda-bundling.js';
import { nagLogicalId } from '../nag.js';

export type { HookLifecycleEvent };

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
  /**
   * The release image repository: once production serves a release, the
   * hook tags its image `live` (and the one before `previous`) so the
   * lifecycle never expires either. Only the AfterAllowTraffic hook does.
   */
  readonly imageRepository?: ecr.IRepository;
  /**
   * The service the deployments move, with imageRepository: its original
   * task set names the image production served before a deployment, which
   * the hook tags `previous`.
   */
  readonly service?: ecs.IBaseService;
}

/** The hooks package's Lambda entry, found through its exports (its built `dist/handler.js`). */
const entry = createRequire(import.meta.url).resolve('@webapp-color/hooks/handler');

/** The Lambda timeout: the checks' budget plus the time kept to report (see checkBudgetMs). */
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
  private readonly lifecycleEvent: HookLifecycleEvent;
  private readonly imageRepository?: ecr.IRepository;
  private readonly service?: ecs.IBaseService;

  constructor(scope: Construct, id: string, props: DeploymentHookProps) {
    super(scope, id);
    this.lifecycleEvent = props.lifecycleEvent;
    if (props.imageRepository && props.lifecycleEvent !== 'AfterAllowTraffic') {
      throw new Error(
        `DeploymentHook: imageRepository is for the AfterAllowTraffic hook; ${props.lifecycleEvent} runs before production moves`,
      );
    }
    if (props.imageRepository && !props.service) {
      throw new Error(
        'DeploymentHook: imageRepository needs service too (its original task set names the image tagged previous)',
      );
    }
    this.imageRepository = props.imageRepository;
    this.service = props.service;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.lifecycleEvent} hook: reaches the ALB and AWS APIs`,
      allowAllOutbound: true,
    });
    const logGroup = (this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    }));
    const environment = hookEnvironment({
      lifecycleEvent: props.lifecycleEvent,
      listenerProtocol: props.listener.protocol,
      listenerPort: props.listener.port,
      siteHost: props.siteHost,
      healthPath: props.healthCheckPath,
      pagePath: props.pagePath,
      versionPath: props.versionPath,
      containerName: props.containerName,
      versionVariable: props.versionVariable,
      requireVersion: props.requireVersion,
      checkBudgetMs: HOOK_TIMEOUT.toMilliseconds() - HOOK_REPORT_MARGIN.toMilliseconds(),
      // The description EC2 gives an ALB's network interfaces: "ELB app/<name>/<id>".
      loadBalancerEniDescription: `ELB ${props.loadBalancer.loadBalancerFullName}`,
      ...(props.imageRepository
        ? { liveImageTag: LIVE_IMAGE_TAG, previousImageTag: PREVIOUS_IMAGE_TAG }
        : {}),
    });
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
      environment,
      bundling: LAMBDA_BUNDLING,
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
   * Allow every call the hook makes (its package's hookApiCalls), and nothing more:
   * CodeDeploy calls on this deployment group and its application only,
   * ECR calls on the release repository only.
   */
  grantHook(deploymentGroup: codedeploy.IEcsDeploymentGroup): void {
    const resources: Record<HookApiCall['scope'], string | undefined> = {
      deploymentGroup: deploymentGroup.deploymentGroupArn,
      application: deploymentGroup.application.applicationArn,
      repository: this.imageRepository?.repositoryArn,
      service: this.service?.serviceArn,
      any: '*',
    };
    const calls = hookApiCalls(this.lifecycleEvent, this.imageRepository !== undefined);
    for (const scope of [
      'deploymentGroup',
      'application',
      'repository',
      'service',
      'any',
    ] as const) {
      const actions = calls.filter((call) => call.scope === scope).map((call) => call.action);
      const resource = resources[scope];
      if (actions.length === 0) continue;
      if (resource === undefined) {
        throw new Error(
          `DeploymentHook ${this.node.path}: the ${this.lifecycleEvent} hook calls ${actions.join(', ')}, which need the ${scope === 'repository' ? 'imageRepository' : scope} property`,
        );
      }
      this.function.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [resource] }));
    }
  }

  /** The nag id of this function's ARN pattern, for the invoke grant's acknowledgement. */
  get functionNagId(): string {
    return nagLogicalId(this.function);
  }
}
