import { BatchGetImageCommand } from '@aws-sdk/client-ecr';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
} from '@aws-sdk/client-ecs';
import {
  ACCEPTED_MANIFEST_MEDIA_TYPES,
  ECR_IMAGE_BY_TAG,
  containerImage,
  getContainerEnvironment,
  getLoadBalancerAddresses,
  moveImageTags,
  putTag,
  sdk,
} from './aws.js';
import type { NativeCheckPorts, ServiceDeploymentView } from './native-checks.js';

/**
 * The AWS side of the native hook, on the SDK. Each call is in
 * NATIVE_HOOK_API_CALLS (api-calls.ts), which the hook role's policy is
 * written from.
 */

/**
 * DescribeServiceDeployments: an unknown ARN is a `failures` entry, not an
 * error (API reference,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceDeployments.html).
 */
export async function describeServiceDeployment(
  serviceDeploymentArn: string,
): Promise<ServiceDeploymentView | undefined> {
  const { serviceDeployments = [] } = await sdk().ecs.send(
    new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [serviceDeploymentArn] }),
  );
  const found = serviceDeployments.find((d) => d.serviceDeploymentArn === serviceDeploymentArn);
  if (!found) return undefined;
  return {
    ...(found.status === undefined ? {} : { status: found.status }),
    sourceServiceRevisionArns: (found.sourceServiceRevisions ?? []).flatMap((r) =>
      r.arn ? [r.arn] : [],
    ),
    ...(found.rollback?.serviceRevisionArn
      ? { rollbackServiceRevisionArn: found.rollback.serviceRevisionArn }
      : {}),
  };
}

/**
 * DescribeServiceRevisions: the revision's `taskDefinition`; an unknown one
 * is a `failures` entry (API reference,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceRevisions.html).
 */
export async function taskDefinitionOfRevision(
  serviceRevisionArn: string,
): Promise<string | undefined> {
  const { serviceRevisions = [] } = await sdk().ecs.send(
    new DescribeServiceRevisionsCommand({ serviceRevisionArns: [serviceRevisionArn] }),
  );
  return serviceRevisions.find((r) => r.serviceRevisionArn === serviceRevisionArn)?.taskDefinition;
}

/**
 * Put the live tag back on the image a task definition runs (the revision a
 * rollback returns production to): nothing when the tag is on that image
 * already, so a second run changes nothing; nothing either when the image
 * is not a release of the repository (the bootstrap revision's CDK asset).
 */
export async function restoreLiveImage(
  taskDefinitionArn: string,
  containerName: string,
  liveTag: string,
): Promise<string> {
  const image = await containerImage(taskDefinitionArn, containerName);
  const match = ECR_IMAGE_BY_TAG.exec(image ?? '');
  if (!match) {
    return `production returns to ${String(image)}, not a release image by tag: ${liveTag} stays`;
  }
  const [, repositoryName, tag] = match as unknown as [string, string, string];
  const { images = [] } = await sdk().ecr.send(
    new BatchGetImageCommand({
      repositoryName,
      imageIds: [{ imageTag: tag }, { imageTag: liveTag }],
      acceptedMediaTypes: ACCEPTED_MANIFEST_MEDIA_TYPES,
    }),
  );
  const restored = images.find((i) => i.imageId?.imageTag === tag);
  if (!restored) throw new Error(`${repositoryName}:${tag} is not in the repository`);
  const live = images.find((i) => i.imageId?.imageTag === liveTag);
  if (live && live.imageId?.imageDigest === restored.imageId?.imageDigest) {
    return `${repositoryName}:${liveTag} is on ${tag} already`;
  }
  await putTag(repositoryName, restored, liveTag);
  return `${repositoryName}:${tag} tagged ${liveTag} again (was ${live?.imageId?.imageDigest ?? 'nowhere'})`;
}

export function nativeAwsPorts(
  loadBalancerEniDescription: string,
): Pick<
  NativeCheckPorts,
  | 'describeServiceDeployment'
  | 'taskDefinitionOfRevision'
  | 'getContainerEnvironment'
  | 'getLoadBalancerAddresses'
  | 'protectImage'
  | 'restoreLiveImage'
> {
  return {
    describeServiceDeployment,
    taskDefinitionOfRevision,
    getContainerEnvironment,
    getLoadBalancerAddresses: () => getLoadBalancerAddresses(loadBalancerEniDescription),
    async protectImage(released, servedBefore, containerName, tags) {
      const before =
        servedBefore === undefined
          ? { why: 'the deployment has no single source revision' }
          : { image: await containerImage(servedBefore, containerName) };
      return moveImageTags(released, containerName, tags, before);
    },
    restoreLiveImage,
  };
}
