import {
  CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeNetworkInterfacesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  BatchGetImageCommand,
  ECRClient,
  ImageAlreadyExistsException,
  PutImageCommand,
  type Image,
} from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
} from '@aws-sdk/client-ecs';
import type { CheckPorts, HookStatus } from './checks.js';

/**
 * The AWS side of the checks, on the SDK. Each call is in HOOK_API_CALLS
 * (api-calls.ts), which the hook role's policy is written from. Clients
 * follow the SDK's own configuration (AWS_REGION, AWS_ENDPOINT_URL, …), so
 * the same code runs in Lambda and against the local stand-in.
 */

// A hung connection must not eat the time left to report: bounded attempts
// and socket timeouts.
const clientOptions = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
};

let clients:
  { codedeploy: CodeDeployClient; ecs: ECSClient; ec2: EC2Client; ecr: ECRClient } | undefined;
/** The SDK clients, made once per Lambda container. */
export function sdk() {
  clients ??= {
    codedeploy: new CodeDeployClient(clientOptions),
    ecs: new ECSClient(clientOptions),
    ec2: new EC2Client(clientOptions),
    ecr: new ECRClient(clientOptions),
  };
  return clients;
}

/**
 * The AppSpec text of a deployment. GetDeployment names the revision only
 * by type and sha256; GetApplicationRevision, given that reference, returns
 * the text (`appSpecContent` for CodeDeployToECS, `string` for revisions
 * registered as a string), as seek-oss/aws-codedeploy-hooks reads it.
 */
export async function appSpecContent(deploymentId: string): Promise<string | undefined> {
  const { codedeploy } = sdk();
  const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId }));
  if (!deploymentInfo?.applicationName || !deploymentInfo.revision) return undefined;
  const { revision } = await codedeploy.send(
    new GetApplicationRevisionCommand({
      applicationName: deploymentInfo.applicationName,
      revision: deploymentInfo.revision,
    }),
  );
  return revision?.appSpecContent?.content ?? revision?.string?.content;
}

export async function reportStatus(
  deploymentId: string,
  lifecycleEventHookExecutionId: string,
  status: HookStatus,
): Promise<void> {
  await sdk().codedeploy.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId,
      lifecycleEventHookExecutionId,
      status,
    }),
  );
}

/** `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>:<tag>` */
export const ECR_IMAGE_BY_TAG =
  /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/([^:@]+):([^:@/]+)$/;

/**
 * The manifest media types the retag reads, and so can put back unchanged:
 * image manifests (Docker v2, OCI) and image indexes (OCI image index,
 * Docker manifest list). The release build's `docker buildx build --push`
 * attaches provenance attestations by default, which makes the pushed image
 * an OCI image index; a multi-arch image is one too. A type left out here
 * is an image BatchGetImage does not return as pushed, and the retag fails.
 * (The API reference lists the three manifest types as valid values; index
 * types are what registry clients that retag send as well, e.g. the
 * amazon-ecr-containerd-resolver.)
 */
export const ACCEPTED_MANIFEST_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

/** PutImage of a tag already on that manifest is ImageAlreadyExistsException: nothing to do. */
export async function putTag(
  repositoryName: string,
  image: Image,
  imageTag: string,
): Promise<void> {
  try {
    await sdk().ecr.send(
      new PutImageCommand({
        repositoryName,
        imageTag,
        imageManifest: image.imageManifest,
        imageManifestMediaType: image.imageManifestMediaType,
      }),
    );
  } catch (error) {
    if (!(error instanceof ImageAlreadyExistsException)) throw error;
  }
}

export async function containerImage(taskDefinitionArn: string, containerName: string) {
  const { taskDefinition } = await sdk().ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }),
  );
  return taskDefinition?.containerDefinitions?.find((c) => c.name === containerName)?.image;
}

/**
 * The image production served before this deployment: that of the original
 * task set, the one this deployment did not create (ECS TaskSet.externalId
 * holds the id of the CodeDeploy deployment that created a task set; API
 * reference, TaskSet). The service comes from the deployment group
 * (GetDeploymentGroup, ecsServices). Not the `live` tag: a release that an
 * alarm rolled back after its AfterAllowTraffic hook ran still carries it.
 */
async function imageServedBefore(
  deploymentId: string,
  containerName: string,
): Promise<{ image?: string; why?: string }> {
  const { codedeploy, ecs } = sdk();
  const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId }));
  const { deploymentGroupInfo } = await codedeploy.send(
    new GetDeploymentGroupCommand({
      applicationName: deploymentInfo?.applicationName,
      deploymentGroupName: deploymentInfo?.deploymentGroupName,
    }),
  );
  const [target] = deploymentGroupInfo?.ecsServices ?? [];
  if (!target?.serviceName || !target.clusterName) {
    throw new Error(
      `deployment group ${String(deploymentInfo?.deploymentGroupName)} names no ECS service`,
    );
  }
  const { services = [] } = await ecs.send(
    new DescribeServicesCommand({ cluster: target.clusterName, services: [target.serviceName] }),
  );
  const original = (services[0]?.taskSets ?? []).filter(
    (taskSet) => taskSet.externalId !== deploymentId && taskSet.status !== 'DRAINING',
  );
  if (original.length !== 1 || !original[0]!.taskDefinition) {
    return {
      why: `${target.clusterName}/${target.serviceName} has ${original.length} task sets besides this deployment's`,
    };
  }
  return { image: await containerImage(original[0]!.taskDefinition, containerName) };
}

/**
 * Move the live tag onto the image the released task definition runs, and
 * the previous tag onto the image production served before this deployment
 * (`before`, found by each controller its own way): ECR's retag,
 * BatchGetImage then PutImage with the same manifest
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-retag.html).
 */
export async function moveImageTags(
  taskDefinitionArn: string,
  containerName: string,
  tags: { readonly liveTag: string; readonly previousTag: string },
  before: { readonly image?: string; readonly why?: string },
): Promise<string> {
  const image = await containerImage(taskDefinitionArn, containerName);
  const match = ECR_IMAGE_BY_TAG.exec(image ?? '');
  if (!match) {
    throw new Error(
      `${taskDefinitionArn} runs ${String(image)} on ${containerName}, not an ECR image by tag: cannot protect it from the lifecycle`,
    );
  }
  const [, repositoryName, releaseTag] = match as unknown as [string, string, string];
  const beforeMatch = ECR_IMAGE_BY_TAG.exec(before.image ?? '');
  // The bootstrap revision runs a CDK asset image of another repository:
  // there is no release of this one to keep.
  const beforeTag = beforeMatch?.[1] === repositoryName ? beforeMatch[2] : undefined;
  const { images = [] } = await sdk().ecr.send(
    new BatchGetImageCommand({
      repositoryName,
      imageIds: [
        { imageTag: releaseTag },
        ...(beforeTag && beforeTag !== releaseTag ? [{ imageTag: beforeTag }] : []),
      ],
      // Say which manifests the PutImage after it can take back unchanged.
      acceptedMediaTypes: ACCEPTED_MANIFEST_MEDIA_TYPES,
    }),
  );
  const released = images.find((i) => i.imageId?.imageTag === releaseTag);
  if (!released) throw new Error(`${repositoryName}:${releaseTag} is not in the repository`);
  const previous = images.find(
    (i) =>
      i.imageId?.imageTag === beforeTag && i.imageId?.imageDigest !== released.imageId?.imageDigest,
  );
  if (previous) await putTag(repositoryName, previous, tags.previousTag);
  await putTag(repositoryName, released, tags.liveTag);
  const previousNote = previous
    ? `, ${repositoryName}:${beforeTag} (served before) tagged ${tags.previousTag}`
    : `; ${tags.previousTag} not moved: ${before.why ?? `production ran ${String(before.image)} before, no other release of ${repositoryName}`}`;
  return `${repositoryName}:${releaseTag} tagged ${tags.liveTag}${previousNote}`;
}

/** The CodeDeploy hook's tagging: what production served before comes from the deployment group. */
async function protectImage(
  deploymentId: string,
  taskDefinitionArn: string,
  containerName: string,
  tags: { readonly liveTag: string; readonly previousTag: string },
): Promise<string> {
  const before = await imageServedBefore(deploymentId, containerName);
  return moveImageTags(taskDefinitionArn, containerName, tags, before);
}

/** The environment of one container of a task definition. */
export async function getContainerEnvironment(
  taskDefinition: string,
  containerName: string,
): Promise<Record<string, string>> {
  const { taskDefinition: found } = await sdk().ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition }),
  );
  const container = found?.containerDefinitions?.find((c) => c.name === containerName);
  return Object.fromEntries(
    (container?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']),
  );
}

/** Private addresses of the load balancer's nodes, by their network interfaces' description. */
export async function getLoadBalancerAddresses(
  loadBalancerEniDescription: string,
): Promise<string[]> {
  const { NetworkInterfaces } = await sdk().ec2.send(
    new DescribeNetworkInterfacesCommand({
      Filters: [{ Name: 'description', Values: [loadBalancerEniDescription] }],
    }),
  );
  return (NetworkInterfaces ?? []).flatMap((eni) =>
    eni.PrivateIpAddress ? [eni.PrivateIpAddress] : [],
  );
}

export function awsPorts(
  loadBalancerEniDescription: string,
): Pick<
  CheckPorts,
  | 'getAppSpecContent'
  | 'getContainerEnvironment'
  | 'getLoadBalancerAddresses'
  | 'reportStatus'
  | 'protectImage'
> {
  return {
    protectImage,
    getAppSpecContent: appSpecContent,
    getContainerEnvironment,
    getLoadBalancerAddresses: () => getLoadBalancerAddresses(loadBalancerEniDescription),
    reportStatus,
  };
}
