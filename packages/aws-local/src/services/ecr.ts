import type {
  BatchGetImageResponse,
  DescribeImagesResponse,
  Image,
  ImageFailure,
  ImageIdentifier,
  PutImageResponse,
} from '@aws-sdk/client-ecr';
import { AwsServiceError } from '../protocols/errors.js';
import type { JsonOperation } from '../protocols/json.js';
import { sha256 } from './codedeploy.js';
import {
  DEFAULT_ACCOUNT_ID,
  type AwsWorld,
  type WorldImage,
  type WorldRepository,
} from '../world.js';

/**
 * ECR (awsJson1_1, `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.<Op>`):
 * the two calls that put a second tag on an image ("retag": BatchGetImage,
 * then PutImage with the same manifest), shapes from the SDK's output types
 * and the API reference:
 * - BatchGetImage: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_BatchGetImage.html
 *   An id that matches nothing is a `failures` entry (ImageNotFound), not an error.
 *   Each image comes back as it was pushed, `imageManifestMediaType` naming
 *   its kind: an image manifest (Docker v2, OCI) or an image index (OCI
 *   index, Docker manifest list: multi-arch images, and what BuildKit
 *   pushes when it attaches provenance attestations). With
 *   `acceptedMediaTypes` in the request, an image of a type the caller does
 *   not accept is not returned: the stand-in answers a failure for its id
 *   (ImageNotFound, the documented code for an id it does not return), as
 *   an OCI distribution registry refuses a manifest the Accept header does
 *   not name. Which failure code ECR itself gives is not documented: infra/docs/assurance.md
 *   lists it among what only a real account confirms.
 * - PutImage: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutImage.html
 *   The tag already on this very manifest is ImageAlreadyExistsException; an
 *   immutable tag on another image is ImageTagAlreadyExistsException.
 * - Retagging: https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-retag.html
 */

export const ECR_TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921';
const DEFAULT_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';

const digestOf = (image: WorldImage) => `sha256:${sha256(image.manifest)}`;

function findRepository(world: AwsWorld, input: Record<string, unknown>): WorldRepository {
  const name = input.repositoryName;
  const repository = (world.repositories ?? []).find((r) => r.repositoryName === name);
  if (!repository) {
    throw new AwsServiceError(
      'RepositoryNotFoundException',
      `The repository with name '${String(name)}' does not exist in the registry with id '${world.accountId ?? DEFAULT_ACCOUNT_ID}'`,
    );
  }
  return repository;
}

export function ecrOperations(world: AwsWorld): Record<string, JsonOperation> {
  const registryId = () => world.accountId ?? DEFAULT_ACCOUNT_ID;
  const describe = (repository: WorldRepository, image: WorldImage, tag?: string): Image => ({
    registryId: registryId(),
    repositoryName: repository.repositoryName,
    imageId: { imageDigest: digestOf(image), ...(tag === undefined ? {} : { imageTag: tag }) },
    imageManifest: image.manifest,
    imageManifestMediaType: image.mediaType ?? DEFAULT_MEDIA_TYPE,
  });

  return {
    BatchGetImage(input): BatchGetImageResponse {
      const repository = findRepository(world, input);
      const ids = input.imageIds;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) {
        throw new AwsServiceError(
          'InvalidParameterException',
          'imageIds must hold 1 to 100 image ids',
        );
      }
      const accepted = input.acceptedMediaTypes;
      if (accepted !== undefined && (!Array.isArray(accepted) || accepted.length === 0)) {
        throw new AwsServiceError(
          'InvalidParameterException',
          'acceptedMediaTypes must hold 1 to 100 media types',
        );
      }
      const acceptable = (image: WorldImage) =>
        accepted === undefined || accepted.includes(image.mediaType ?? DEFAULT_MEDIA_TYPE);
      const images: Image[] = [];
      const failures: ImageFailure[] = [];
      for (const id of ids as ImageIdentifier[]) {
        const found = repository.images.find(
          (image) =>
            (id.imageTag === undefined || image.tags.includes(id.imageTag)) &&
            (id.imageDigest === undefined || digestOf(image) === id.imageDigest),
        );
        if (found && acceptable(found)) images.push(describe(repository, found, id.imageTag));
        else
          failures.push({
            imageId: id,
            failureCode: 'ImageNotFound',
            failureReason: 'Requested image not found',
          });
      }
      return { images, failures };
    },

    PutImage(input): PutImageResponse {
      const repository = findRepository(world, input);
      const manifest = input.imageManifest;
      const tag = input.imageTag;
      if (typeof manifest !== 'string' || manifest === '') {
        throw new AwsServiceError('InvalidParameterException', 'imageManifest is required');
      }
      const existing = repository.images.find((image) => image.manifest === manifest);
      if (typeof tag === 'string') {
        if (existing?.tags.includes(tag)) {
          throw new AwsServiceError(
            'ImageAlreadyExistsException',
            `Image with digest '${digestOf(existing)}' and tag '${tag}' already exists in the repository with name '${repository.repositoryName}' in registry with id '${registryId()}'`,
          );
        }
        const holder = repository.images.find((image) => image.tags.includes(tag));
        if (holder && !(repository.mutableTags ?? []).includes(tag)) {
          throw new AwsServiceError(
            'ImageTagAlreadyExistsException',
            `The image tag '${tag}' already exists in the '${repository.repositoryName}' repository and cannot be overwritten because the tag is immutable.`,
          );
        }
        if (holder) holder.tags = holder.tags.filter((t) => t !== tag);
      }
      const image =
        existing ??
        (() => {
          const created: WorldImage = {
            manifest,
            tags: [],
            ...(typeof input.imageManifestMediaType === 'string'
              ? { mediaType: input.imageManifestMediaType }
              : {}),
          };
          repository.images.push(created);
          return created;
        })();
      if (typeof tag === 'string') image.tags.push(tag);
      return { image: describe(repository, image, typeof tag === 'string' ? tag : undefined) };
    },

    /**
     * DescribeImages: https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeImages.html
     * Unlike BatchGetImage, an `imageIds` entry that matches nothing fails
     * the whole call with ImageNotFoundException.
     */
    DescribeImages(input): DescribeImagesResponse {
      const repository = findRepository(world, input);
      const ids = (input.imageIds as ImageIdentifier[] | undefined) ?? [];
      const selected =
        ids.length === 0
          ? repository.images
          : ids.map((id) => {
              const found = repository.images.find(
                (image) =>
                  (id.imageTag === undefined || image.tags.includes(id.imageTag)) &&
                  (id.imageDigest === undefined || digestOf(image) === id.imageDigest),
              );
              if (!found) {
                throw new AwsServiceError(
                  'ImageNotFoundException',
                  `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repository.repositoryName}' in the registry with id '${registryId()}'`,
                );
              }
              return found;
            });
      return {
        imageDetails: [...new Set(selected)].map((image) => ({
          registryId: registryId(),
          repositoryName: repository.repositoryName,
          imageDigest: digestOf(image),
          imageTags: image.tags.length > 0 ? image.tags : undefined,
          imageSizeInBytes: Buffer.byteLength(image.manifest) * 1000,
          imagePushedAt: new Date('2026-01-05T09:30:00.000Z'),
          imageManifestMediaType: image.mediaType ?? DEFAULT_MEDIA_TYPE,
        })),
      };
    },
  };
}
