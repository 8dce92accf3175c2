import { createRequire } from 'node:module';
import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
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
  NATIVE_HOOK_STAGES,
  PREVIOUS_IMAGE_TAG,
  hookApiCalls,
  hookEnvironment,
  nativeHookApiCalls,
  type HookApiCall,
  type HookLifecycleEvent,
  type NativeHookApiCall,
  type NativeHookStage,
} from '@webapp-color/hooks';
import { LAMBDA_BUNDLING } from '../lambda-bundling.js';
import { nagLogicalId } from '../nag.js';

export type { HookLifecycleEvent };

/** Which deployment controller invokes the hook, and so which contract it answers. */
export type HookController = 'codedeploy' | 'ecs';

export interface DeploymentHookProps {
  /**
   * Which checks the hook makes: the test listener before production moves
   * (AfterAllowTestTraffic), production after (AfterAllowTraffic). Under
   * the ECS controller the same kinds run at the stages of
   * NATIVE_HOOK_STAGES.
   */
  readonly lifecycleEvent: HookLifecycleEvent;
  /**
   * The controller that invokes it: CodeDeploy (the hook reports with
   * PutLifecycleEventHookExecutionStatus) or ECS (the hook returns its
   * status). @default 'codedeploy'
   */
  readonly controller?: HookController;
  /**
   * The function's fixed name. Under CodeDeploy every release's AppSpec
   * names it, so it must still exist, under that name, after any later
   * `cdk deploy`; required there. ECS takes the ARN from the service
   * itself. @default under 'ecs', a name CDK makes
   */
  readonly functionName?: string;
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

/** The hooks package's Lambda entries, found through its exports (its built `dist/`). */
const require = createRequire(import.meta.url);
const ENTRIES: Record<HookController, string> = {
  codedeploy: require.resolve('@webapp-color/hooks/handler'),
  ecs: require.resolve('@webapp-color/hooks/native-handler'),
};

/** The Lambda timeout: the checks' budget plus the time kept to report (see checkBudgetMs). */
export const HOOK_TIMEOUT = Duration.minutes(5);
/** Time between the end of the check budget and the Lambda timeout, to report the outcome. */
export const HOOK_REPORT_MARGIN = Duration.minutes(1);

/**
 * Under ECS one invocation need not hold the whole check: the hook answers
 * IN_PROGRESS and ECS invokes it again after `callBackDelay` (ECS developer
 * guide, "Lambda hooks for Amazon ECS service deployments",
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html).
 * So a short invocation: its checks' budget, plus time to answer.
 */
export const NATIVE_HOOK_TIMEOUT = Duration.minutes(2);
/** Time between the end of one invocation's checks and the Lambda timeout. */
export const NATIVE_HOOK_ANSWER_MARGIN = Duration.seconds(30);
/**
 * How long, over all its invocations, a native hook goes on answering
 * IN_PROGRESS before FAILED: as long as the CodeDeploy hook's budget twice
 * over, far inside the ECS hook timeout (`timeoutConfiguration`, 24 hours
 * by default, which would otherwise hold a deployment that long).
 */
export const NATIVE_HOOK_DEADLINE = Duration.minutes(10);

/**
 * One ECS deployment lifecycle hook: a Lambda in the private subnets that
 * calls one listener on the load balancer's private addresses (an
 * internet-facing ALB's DNS name resolves to public IPs, which from a
 * private subnet would leave through the NAT gateway), checks the health,
 * page and version routes, and reports to CodeDeploy within its timeout
 * (controller 'codedeploy') or returns its status to ECS (controller
 * 'ecs', at the stages in `stages`).
 */
export class DeploymentHook extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly securityGroup: ec2.SecurityGroup;
  readonly logGroup: logs.LogGroup;
  readonly controller: HookController;
  private readonly lifecycleEvent: HookLifecycleEvent;
  private readonly imageRepository?: ecr.IRepository;
  private readonly service?: ecs.IBaseService;

  constructor(scope: Construct, id: string, props: DeploymentHookProps) {
    super(scope, id);
    this.lifecycleEvent = props.lifecycleEvent;
    const controller = (this.controller = props.controller ?? 'codedeploy');
    if (controller === 'codedeploy' && props.functionName === undefined) {
      throw new Error(
        `DeploymentHook ${this.node.path}: functionName is required under codedeploy (every release's AppSpec names the function)`,
      );
    }
    const native = controller === 'ecs';
    const timeout = native ? NATIVE_HOOK_TIMEOUT : HOOK_TIMEOUT;
    const margin = native ? NATIVE_HOOK_ANSWER_MARGIN : HOOK_REPORT_MARGIN;
    if (props.imageRepository && props.lifecycleEvent !== 'AfterAllowTraffic') {
      throw new Error(
        `DeploymentHook: imageRepository is for the AfterAllowTraffic hook; ${props.lifecycleEvent} runs before production moves`,
      );
    }
    if (props.imageRepository && !props.service && !native) {
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
      checkBudgetMs: timeout.toMilliseconds() - margin.toMilliseconds(),
      ...(native ? { checkDeadlineMs: NATIVE_HOOK_DEADLINE.toMilliseconds() } : {}),
      // The description EC2 gives an ALB's network interfaces: "ELB app/<name>/<id>".
      loadBalancerEniDescription: `ELB ${props.loadBalancer.loadBalancerFullName}`,
      ...(props.imageRepository
        ? { liveImageTag: LIVE_IMAGE_TAG, previousImageTag: PREVIOUS_IMAGE_TAG }
        : {}),
    });
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      ...(props.functionName === undefined ? {} : { functionName: props.functionName }),
      entry: ENTRIES[controller],
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout,
      logGroup,
      vpc: props.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [this.securityGroup],
      description: native
        ? `ECS ${this.stages.join(', ')} hook: health, page and version on the ${props.listener.protocol}:${props.listener.port} listener`
        : `CodeDeploy ${props.lifecycleEvent} hook: health, page and version on the ${props.listener.protocol}:${props.listener.port} listener`,
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

  /** The ECS lifecycle stages this hook answers (NATIVE_HOOK_STAGES of its checks). */
  get stages(): readonly NativeHookStage[] {
    return NATIVE_HOOK_STAGES[this.lifecycleEvent];
  }

  /**
   * Under ECS: allow every call the hook makes (its package's
   * nativeHookApiCalls), and nothing more: the service deployments and
   * revisions of this cluster (not of the one service: the service names
   * this function among its lifecycle hooks, and the function waits for its
   * policy, so naming the service here would be a dependency cycle), ECR
   * calls on the release repository only.
   */
  grantNativeHook(cluster: ecs.ICluster): void {
    if (this.controller !== 'ecs') {
      throw new Error(
        `DeploymentHook ${this.node.path}: grantNativeHook is for a hook under the ecs controller; use grantHook`,
      );
    }
    const stack = Stack.of(this);
    const inCluster = (resource: string) =>
      stack.formatArn({
        service: 'ecs',
        resource,
        resourceName: `${cluster.clusterName}/*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const resources: Record<NativeHookApiCall['scope'], string | undefined> = {
      serviceDeployments: inCluster('service-deployment'),
      serviceRevisions: inCluster('service-revision'),
      repository: this.imageRepository?.repositoryArn,
      any: '*',
    };
    this.grantCalls(
      nativeHookApiCalls(this.lifecycleEvent, this.imageRepository !== undefined),
      resources,
    );
    const reason = (what: string) =>
      `${what} of this cluster’s services, whose ids ECS makes up per deployment; the one service cannot be named (it names this hook: a dependency cycle).`;
    Validations.of(this.function.role!).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${stack.region}:<AWS::AccountId>:service-deployment/<${nagLogicalId(cluster)}>/*]`,
        reason: reason('ecs:DescribeServiceDeployments on the service deployments'),
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${stack.region}:<AWS::AccountId>:service-revision/<${nagLogicalId(cluster)}>/*]`,
        reason: reason('ecs:DescribeServiceRevisions on the service revisions'),
      },
    );
  }

  /**
   * Allow every call the hook makes (its package's hookApiCalls), and nothing more:
   * CodeDeploy calls on this deployment group and its application only,
   * ECR calls on the release repository only.
   */
  grantHook(deploymentGroup: codedeploy.IEcsDeploymentGroup): void {
    if (this.controller !== 'codedeploy') {
      throw new Error(
        `DeploymentHook ${this.node.path}: grantHook is for a CodeDeploy hook; use grantNativeHook`,
      );
    }
    const resources: Record<HookApiCall['scope'], string | undefined> = {
      deploymentGroup: deploymentGroup.deploymentGroupArn,
      application: deploymentGroup.application.applicationArn,
      repository: this.imageRepository?.repositoryArn,
      service: this.service?.serviceArn,
      any: '*',
    };
    this.grantCalls(
      hookApiCalls(this.lifecycleEvent, this.imageRepository !== undefined),
      resources,
    );
  }

  /** One statement per scope, its actions from the list of calls. */
  private grantCalls<Scope extends string>(
    calls: readonly { readonly scope: Scope; readonly action: string }[],
    resources: Record<Scope, string | undefined>,
  ): void {
    for (const scope of Object.keys(resources) as Scope[]) {
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
