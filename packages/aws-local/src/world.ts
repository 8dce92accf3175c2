import type { CertificateStatus, DomainValidation } from '@aws-sdk/client-acm';
import type { StackStatus } from '@aws-sdk/client-cloudformation';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type {
  DeploymentStatus,
  ErrorInformation,
  LifecycleEvent,
  RollbackInfo,
} from '@aws-sdk/client-codedeploy';
import type { ActionExecutionDetail, PipelineExecutionSummary } from '@aws-sdk/client-codepipeline';
import type { ConnectionStatus } from '@aws-sdk/client-codestar-connections';
import type {
  ContainerDefinition,
  Deployment,
  DeploymentConfiguration,
  ServiceDeployment,
  ServiceRevision,
  TaskSet,
} from '@aws-sdk/client-ecs';
import type { Listener, Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';

/**
 * The AWS account the stand-in answers for: a plain, mutable description.
 * A test or a rehearsal changes it between calls (a task set turns
 * PRIMARY, a listener node goes away) and the next answer follows.
 */
export interface AwsWorld {
  /** Region in the ARNs the stand-in builds. @default 'us-east-2' */
  region?: string;
  /** Account id in the ARNs the stand-in builds. @default '123456789012' */
  accountId?: string;
  deployments: WorldDeployment[];
  services: WorldService[];
  taskDefinitions: WorldTaskDefinition[];
  networkInterfaces: WorldNetworkInterface[];
  /** ECR repositories and their images. @default none */
  repositories?: WorldRepository[];
  /**
   * CodeDeploy deployment groups and the ECS services they deploy.
   * @default every group a deployment names, deploying every service of the world
   */
  deploymentGroups?: WorldDeploymentGroup[];
  /** CloudFormation stacks (DescribeStacks, ListStackResources). @default none */
  stacks?: WorldStack[];
  /** CodeStar/CodeConnections connections (GetConnection). @default none */
  connections?: WorldConnection[];
  /** ACM certificates (DescribeCertificate). @default none */
  certificates?: WorldCertificate[];
  /** Route 53 hosted zones and their records (ListResourceRecordSets). @default none */
  hostedZones?: WorldHostedZone[];
  /** Application load balancers and their listeners (DescribeLoadBalancers, DescribeListeners). @default none */
  loadBalancers?: WorldLoadBalancer[];
  /**
   * Lambda functions, as GetFunctionConfiguration answers them (FunctionName
   * required; FunctionArn, State and LastUpdateStatus filled in when absent).
   * @default none
   */
  functions?: FunctionConfiguration[];
  /** CloudWatch metric alarms (DescribeAlarms); AlarmName and StateValue required. @default none */
  alarms?: MetricAlarm[];
  /** SNS topics and their subscriptions (ListSubscriptionsByTopic). @default none */
  topics?: WorldTopic[];
  /** CodePipeline pipelines and their history (ListPipelineExecutions, ListActionExecutions). @default none */
  pipelines?: WorldPipeline[];
}

/** One CloudFormation stack, its outputs and its resources. */
export interface WorldStack {
  stackName: string;
  /** @default 'UPDATE_COMPLETE' */
  stackStatus?: StackStatus;
  /** OutputKey → OutputValue. */
  outputs: Record<string, string>;
  /** @default false */
  terminationProtection?: boolean;
  resources: WorldStackResource[];
}

export interface WorldStackResource {
  logicalResourceId: string;
  /** The physical id CloudFormation reports: an ARN, a name or an id, depending on the type. */
  physicalResourceId: string;
  /** e.g. `AWS::CloudWatch::Alarm`. */
  resourceType: string;
}

/** One connection to a source provider. */
export interface WorldConnection {
  connectionArn: string;
  connectionName: string;
  connectionStatus: ConnectionStatus;
  /** @default 'GitHub' */
  providerType?: 'GitHub';
}

/** One ACM certificate. */
export interface WorldCertificate {
  certificateArn: string;
  domainName: string;
  status: CertificateStatus;
  /** The DNS validation records ACM asks for. @default one CNAME for domainName */
  domainValidationOptions?: DomainValidation[];
}

/** One Route 53 hosted zone. */
export interface WorldHostedZone {
  /** The zone id without the `/hostedzone/` prefix, e.g. `Z0123456789EXAMPLE`. */
  id: string;
  /** With the trailing dot, e.g. `example.com.`. */
  name: string;
  /** Names with their trailing dot, as Route 53 answers them. */
  records: ResourceRecordSet[];
}

/** One application load balancer. */
export interface WorldLoadBalancer {
  loadBalancerArn: string;
  dnsName: string;
  /** @default 'Z3AADJGX6KTTL2' (us-east-2's ALB zone) */
  canonicalHostedZoneId?: string;
  /** @default 'active' */
  state?: 'active' | 'provisioning' | 'active_impaired' | 'failed';
  /** SDK Listener objects; LoadBalancerArn is filled in. */
  listeners: Listener[];
  /**
   * Each listener's rules other than its default one, by ListenerArn
   * (DescribeRules adds the default rule from the listener's
   * DefaultActions). @default none
   */
  rules?: Record<string, Rule[]>;
}

/** One SNS topic. */
export interface WorldTopic {
  topicArn: string;
  subscriptions: WorldSubscription[];
}

export interface WorldSubscription {
  protocol: string;
  endpoint: string;
  /** An unconfirmed subscription's ARN is `PendingConfirmation`. */
  confirmed: boolean;
}

/** One CodePipeline pipeline and its history. */
export interface WorldPipeline {
  pipelineName: string;
  /** Newest first is not required: the stand-in sorts by startTime, newest first, as CodePipeline answers. */
  executions: PipelineExecutionSummary[];
  actionExecutions: ActionExecutionDetail[];
}

/** One CodeDeploy ECS deployment group (GetDeploymentGroup). */
export interface WorldDeploymentGroup {
  applicationName: string;
  deploymentGroupName: string;
  ecsServices: { clusterName: string; serviceName: string }[];
}

/** One ECR repository. */
export interface WorldRepository {
  repositoryName: string;
  images: WorldImage[];
  /**
   * Tags that may move to another image (the repository's immutability
   * exclusion filters); any other tag is immutable. @default none
   */
  mutableTags?: string[];
}

/** One image manifest and the tags on it. */
export interface WorldImage {
  /** The manifest JSON; its digest is `sha256:` + the SHA-256 of this text. */
  manifest: string;
  /**
   * The manifest's media type, as ECR answers it in imageManifestMediaType:
   * an image manifest (`application/vnd.oci.image.manifest.v1+json`,
   * `application/vnd.docker.distribution.manifest.v2+json`) or an image
   * index (`application/vnd.oci.image.index.v1+json`,
   * `application/vnd.docker.distribution.manifest.list.v2+json`).
   * @default 'application/vnd.oci.image.manifest.v1+json'
   */
  mediaType?: string;
  tags: string[];
}

/** One CodeDeploy ECS deployment and the AppSpec revision it deploys. */
export interface WorldDeployment {
  /** `d-` and nine characters, as CodeDeploy names them (e.g. `d-A1B2C3D4E`). */
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  /** @default 'InProgress' */
  status?: DeploymentStatus;
  /**
   * The AppSpec text CodePipeline's CodeDeployToECS action registered (YAML
   * or JSON, `<TASK_DEFINITION>` already replaced by the registered ARN).
   * GetDeployment answers only its sha256; GetApplicationRevision the text.
   */
  appSpecContent: string;
  /**
   * Hook executions CodeDeploy is waiting on; a report for any other id is
   * refused as the real service refuses it.
   */
  lifecycleEventHookExecutionIds: string[];
  /** @default when the stand-in started */
  createTime?: Date;
  /** When it ended (Succeeded, Failed, Stopped). @default none */
  completeTime?: Date;
  /** Set on a deployment that was rolled back, and on the rollback. @default none */
  rollbackInfo?: RollbackInfo;
  errorInformation?: ErrorInformation;
  /**
   * The ECS target's lifecycle events (ListDeploymentTargets,
   * GetDeploymentTarget): Install, TestTraffic, AllowTraffic, …
   * @default none: the deployment has no target yet
   */
  lifecycleEvents?: LifecycleEvent[];
}

/** One ECS service under the CODE_DEPLOY controller, with its task sets. */
export interface WorldService {
  clusterName: string;
  serviceName: string;
  /**
   * Blue and green task sets: `status` is PRIMARY (production) or ACTIVE
   * (the other one); `externalId` is the id of the CodeDeploy deployment
   * that created the set. Empty for a service on the ECS controller.
   */
  taskSets: TaskSet[];
  /** @default 2 */
  desiredCount?: number;
  /**
   * The service's deployment controller: CODE_DEPLOY runs task sets, ECS
   * (native blue/green) runs `deployments` and `serviceDeployments`.
   * @default 'CODE_DEPLOY'
   */
  deploymentController?: 'CODE_DEPLOY' | 'ECS';
  /** The service's deploymentConfiguration (ECS controller: strategy, bake time, alarms). @default none */
  deploymentConfiguration?: DeploymentConfiguration;
  /**
   * DescribeServices' `deployments` (ECS controller: the PRIMARY one runs
   * the service's tasks). @default none
   */
  deployments?: Deployment[];
  /**
   * The service's deployments as DescribeServiceDeployments answers them
   * (serviceDeploymentArn, createdAt and status required for the list).
   * @default none
   */
  serviceDeployments?: ServiceDeployment[];
  /**
   * The service's revisions as DescribeServiceRevisions answers them
   * (serviceRevisionArn and taskDefinition required; serviceArn and
   * clusterArn filled in). @default none
   */
  serviceRevisions?: ServiceRevision[];
}

/**
 * Put a service deployment into the rollback ECS makes (an alarm, a FAILED
 * hook): status ROLLBACK_IN_PROGRESS, and `rollback` naming the revision
 * production returns to (by default the deployment's one source revision),
 * as DescribeServiceDeployments then answers it. Returns the deployment;
 * throws naming the ARN when the world has none such.
 */
export function startRollback(
  world: AwsWorld,
  serviceDeploymentArn: string,
  rollback: { readonly reason: string; readonly serviceRevisionArn?: string; readonly at?: Date },
): ServiceDeployment {
  const deployment = world.services
    .flatMap((s) => s.serviceDeployments ?? [])
    .find((d) => d.serviceDeploymentArn === serviceDeploymentArn);
  if (!deployment) {
    throw new Error(`startRollback: the world has no service deployment ${serviceDeploymentArn}`);
  }
  const sources = deployment.sourceServiceRevisions ?? [];
  const serviceRevisionArn =
    rollback.serviceRevisionArn ?? (sources.length === 1 ? sources[0]!.arn : undefined);
  if (!serviceRevisionArn) {
    throw new Error(
      `startRollback: ${serviceDeploymentArn} has ${sources.length} source revisions; name serviceRevisionArn`,
    );
  }
  const at = rollback.at ?? new Date();
  deployment.status = 'ROLLBACK_IN_PROGRESS';
  deployment.statusReason = rollback.reason;
  deployment.updatedAt = at;
  deployment.rollback = { reason: rollback.reason, startedAt: at, serviceRevisionArn };
  return deployment;
}

/** One registered task-definition revision. */
export interface WorldTaskDefinition {
  family: string;
  revision: number;
  containerDefinitions: ContainerDefinition[];
  /** @default '256' */
  cpu?: string;
  /** @default '512' */
  memory?: string;
  /** @default 'ACTIVE' */
  status?: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  executionRoleArn?: string;
  taskRoleArn?: string;
}

/** One elastic network interface, e.g. one node of a load balancer. */
export interface WorldNetworkInterface {
  networkInterfaceId: string;
  /** An ALB node's ENI is described `ELB app/<name>/<id>`. */
  description: string;
  privateIpAddress: string;
  /** @default 'subnet-0123456789abcdef0' */
  subnetId?: string;
  /** @default 'vpc-0123456789abcdef0' */
  vpcId?: string;
  /** @default 'in-use' */
  status?: 'available' | 'associated' | 'attaching' | 'in-use' | 'detaching';
}

/** One request the stand-in answered (or refused): what the code under test called. */
export interface AwsCall {
  readonly service:
    | 'codedeploy'
    | 'ecs'
    | 'ec2'
    | 'ecr'
    | 'acm'
    | 'cloudformation'
    | 'cloudwatch'
    | 'codepipeline'
    | 'codestar-connections'
    | 'elasticloadbalancing'
    | 'lambda'
    | 'route53'
    | 'sns'
    | 'sts'
    | 'unknown';
  readonly operation: string;
  readonly input: unknown;
}

/** One PutLifecycleEventHookExecutionStatus the stand-in accepted. */
export interface HookReport {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId: string;
  readonly status: string;
}

export const DEFAULT_REGION = 'us-east-2';
export const DEFAULT_ACCOUNT_ID = '123456789012';

/** ARN of a task-definition revision, as ECS writes it. */
export function taskDefinitionArn(world: AwsWorld, family: string, revision: number): string {
  return `arn:aws:ecs:${world.region ?? DEFAULT_REGION}:${world.accountId ?? DEFAULT_ACCOUNT_ID}:task-definition/${family}:${revision}`;
}
