import {
  CodeDeployClient,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
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
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
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
function sdk() {
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
const ECR_IMAGE_BY_TAG =
  /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/([^:@]+):([^:@/]+)$/;

/**
 * The manifest media types the retag reads: Docker image manifest v2 and
 * OCI image manifest, of the valid values the API reference lists for
 * BatchGetImage's acceptedMediaTypes (the release build pushes OCI).
 */
export const ACCEPTED_MANIFEST_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
];

/** PutImage of a tag already on that manifest is ImageAlreadyExistsException: nothing to do. */
async function putTag(repositoryName: string, image: Image, imageTag: string): Promise<void> {
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

/**
 * Move the live tag onto the image the released task definition runs, and
 * the previous tag onto the image that was live: ECR's retag, BatchGetImage
 * then PutImage with the same manifest
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-retag.html).
 */
async function protectImage(
  taskDefinitionArn: string,
  containerName: string,
  tags: { readonly liveTag: string; readonly previousTag: string },
): Promise<string> {
  const { taskDefinition } = await sdk().ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }),
  );
  const image = taskDefinition?.containerDefinitions?.find((c) => c.name === containerName)?.image;
  const match = ECR_IMAGE_BY_TAG.exec(image ?? '');
  if (!match) {
    throw new Error(
      `${taskDefinitionArn} runs ${String(image)} on ${containerName}, not an ECR image by tag: cannot protect it from the lifecycle`,
    );
  }
  const [, repositoryName, releaseTag] = match as unknown as [string, string, string];
  const { images = [] } = await sdk().ecr.send(
    new BatchGetImageCommand({
      repositoryName,
      imageIds: [{ imageTag: releaseTag }, { imageTag: tags.liveTag }],
      // Say which manifests the PutImage after it can take back unchanged.
      acceptedMediaTypes: ACCEPTED_MANIFEST_MEDIA_TYPES,
    }),
  );
  const released = images.find((i) => i.imageId?.imageTag === releaseTag);
  if (!released) throw new Error(`${repositoryName}:${releaseTag} is not in the repository`);
  const live = images.find((i) => i.imageId?.imageTag === tags.liveTag);
  if (live && live.imageId?.imageDigest !== released.imageId?.imageDigest) {
    await putTag(repositoryName, live, tags.previousTag);
  }
  await putTag(repositoryName, released, tags.liveTag);
  const before =
    live && live.imageId?.imageDigest !== released.imageId?.imageDigest
      ? `, the image live before tagged ${tags.previousTag}`
      : '';
  return `${repositoryName}:${releaseTag} tagged ${tags.liveTag}${before}`;
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
    async getContainerEnvironment(taskDefinition, containerName) {
      const { taskDefinition: found } = await sdk().ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition }),
      );
      const container = found?.containerDefinitions?.find((c) => c.name === containerName);
      return Object.fromEntries(
        (container?.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']),
      );
    },
    async getLoadBalancerAddresses() {
      const { NetworkInterfaces } = await sdk().ec2.send(
        new DescribeNetworkInterfacesCommand({
          Filters: [{ Name: 'description', Values: [loadBalancerEniDescription] }],
        }),
      );
      return (NetworkInterfaces ?? []).flatMap((eni) =>
        eni.PrivateIpAddress ? [eni.PrivateIpAddress] : [],
      );
    },
    reportStatus,
  };
}
