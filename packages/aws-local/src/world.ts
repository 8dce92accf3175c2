import type { DeploymentStatus } from '@aws-sdk/client-codedeploy';
import type { ContainerDefinition, TaskSet } from '@aws-sdk/client-ecs';

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
}

/** One ECS service under the CODE_DEPLOY controller, with its task sets. */
export interface WorldService {
  clusterName: string;
  serviceName: string;
  /**
   * Blue and green task sets: `status` is PRIMARY (production) or ACTIVE
   * (the other one); `externalId` is the id of the CodeDeploy deployment
   * that created the set.
   */
  taskSets: TaskSet[];
  /** @default 2 */
  desiredCount?: number;
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
  readonly service: 'codedeploy' | 'ecs' | 'ec2' | 'ecr' | 'unknown';
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
