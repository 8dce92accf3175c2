import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { LIVE_IMAGE_TAG, PREVIOUS_IMAGE_TAG } from '@webapp-color/hooks/image-tags';
import { pinLogicalId } from '../pin.js';

/** Tags the AfterAllowTraffic hook moves: production's image and the one before it. */
const PROTECTED_TAGS = [LIVE_IMAGE_TAG, PREVIOUS_IMAGE_TAG];

/** Tagged images that are not releases, which the release count sees: the cache image. */
const CACHE_IMAGES_COUNTED = 1;

export interface ImageRepositoryProps {
  /** Images kept, newest first (rollback targets stay available). */
  readonly imagesKept: number;
  /** Days an untagged image (superseded cache layers) is kept. */
  readonly untaggedImageDays: number;
  /**
   * The registry layer-cache tag the build overwrites on every release
   * (`build.cacheImageTag` of the delivery definition): the one tag
   * excluded from immutability.
   */
  readonly cacheImageTag: string;
  /** A fixed name (an environment another pipeline pushes to). @default a generated name */
  readonly repositoryName?: string;
  /**
   * A build role in another account that pushes the image here (the
   * promoting pipeline's, by its fixed name). @default none
   */
  readonly pushFrom?: string;
}

/**
 * The release images: immutable tags (except the layer-cache tag), scan
 * on push, a lifecycle that keeps rollback targets. Retained on stack
 * deletion; logical id pinned.
 */
/**
 * What copying an image by manifest into a repository takes (`docker buildx
 * imagetools create` and `inspect`: ECR's push and pull actions, Service
 * Authorization Reference): the promoting build's grant and the promoted
 * repository's policy both say it.
 */
export const IMAGE_COPY_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
] as const;

export class ImageRepository extends Construct {
  readonly repository: ecr.Repository;

  constructor(scope: Construct, id: string, props: ImageRepositoryProps) {
    super(scope, id);
    this.repository = new ecr.Repository(this, 'Images', {
      repositoryName: props.repositoryName,
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      // The tags that move: the layer cache, and the two the AfterAllowTraffic
      // hook moves onto the image production runs and the one before it.
      imageTagMutabilityExclusionFilters: [props.cacheImageTag, ...PROTECTED_TAGS].map((tag) =>
        ecr.ImageTagMutabilityExclusionFilter.wildcard(tag),
      ),
      imageScanOnPush: true,
      encryption: ecr.RepositoryEncryption.AES_256,
      removalPolicy: RemovalPolicy.RETAIN,
      // ECR's evaluation: "Rules can never mark images matched by higher
      // priority rules, but can still view them" (Amazon ECR User Guide,
      // lifecycle policy evaluation rules). Rules 1-3 claim the images tagged
      // live and previous and the cache image, so no later rule expires them;
      // rule 4 expires superseded cache manifests by age. The count of rule 5
      // still sees what the earlier rules claimed, so it selects tagged images
      // only (the untagged cache manifests, one per release, would otherwise
      // halve what it keeps) and counts one more than the releases kept: the
      // cache image, moved on every build and so among the newest. The
      // release tag is the commit id, 40 hex digits with no fixed prefix that
      // a tag pattern (only `*` wildcards) could tell from the cache tag.
      lifecycleRules: [
        ...PROTECTED_TAGS.map((tag, index) => ({
          rulePriority: index + 1,
          description: `The image tagged ${tag} by the AfterAllowTraffic hook: never expires`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPatternList: [tag],
          maxImageCount: 1,
        })),
        {
          rulePriority: 3,
          description: `The layer cache (${props.cacheImageTag}): never expires`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPatternList: [props.cacheImageTag],
          // One image carries the tag at a time: this never expires it.
          maxImageCount: 1,
        },
        {
          rulePriority: 4,
          description: 'Superseded cache manifests (untagged when the cache tag moves)',
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(props.untaggedImageDays),
        },
        {
          rulePriority: 5,
          description: `Keep the newest ${props.imagesKept} release images (commit-id tags), counted with the cache image`,
          tagStatus: ecr.TagStatus.TAGGED,
          tagPatternList: ['*'],
          maxImageCount: props.imagesKept + CACHE_IMAGES_COUNTED,
        },
      ],
    });
    pinLogicalId(this.repository, 'ImageRepository');
    if (props.pushFrom !== undefined) {
      // The promoting pipeline's build copies the image here by manifest
      // (same digest): push and the reads `imagetools` makes, nothing else.
      this.repository.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'PromotingBuildPushes',
          principals: [new iam.ArnPrincipal(props.pushFrom)],
          actions: [...IMAGE_COPY_ACTIONS],
        }),
      );
    }
  }
}

export interface ArtifactStoreProps {
  /** Days pipeline artifacts are kept. */
  readonly artifactDays: number;
  /**
   * Roles in other accounts that read the artifacts (a CodeDeploy action
   * of a promoted environment there). With any, the bucket is encrypted
   * with a customer managed key whose key policy lets them decrypt, and the
   * bucket policy lets them read; its name and the key's alias are fixed
   * (`names`) so those roles' own policies can name them. @default none:
   * SSE-S3, no key
   */
  readonly crossAccountReaders?: readonly string[];
  /** The bucket name and key alias, with crossAccountReaders. */
  readonly names?: { readonly bucket: string; readonly keyAlias: string };
}

/**
 * The pipeline's artifact bucket: encrypted, TLS only, no public access,
 * expiring objects. Retained on stack deletion; logical id pinned. It
 * lives in the stack of the pipeline because CDK makes an artifact
 * bucket's stack depend on the stack of every action role.
 */
export class ArtifactStore extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ArtifactStoreProps) {
    super(scope, id);
    const readers = props.crossAccountReaders ?? [];
    const key =
      readers.length > 0
        ? new kms.Key(this, 'ArtifactKey', {
            description: 'Pipeline artifacts, readable by the promoted environments’ deploy roles',
            enableKeyRotation: true,
            alias: props.names?.keyAlias,
            removalPolicy: RemovalPolicy.RETAIN,
          })
        : undefined;
    this.bucket = new s3.Bucket(this, 'Artifacts', {
      ...(key
        ? {
            bucketName: props.names?.bucket,
            encryption: s3.BucketEncryption.KMS,
            encryptionKey: key,
            bucketKeyEnabled: true,
          }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          expiration: Duration.days(props.artifactDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.bucket, 'ArtifactBucket');
    if (key) {
      const principals = readers.map((arn) => new iam.ArnPrincipal(arn));
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'PromotedDeployRolesDecrypt',
          principals,
          actions: ['kms:Decrypt', 'kms:DescribeKey'],
          resources: ['*'],
        }),
      );
      this.bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'PromotedDeployRolesRead',
          principals,
          actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetBucketLocation', 's3:ListBucket'],
          resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
        }),
      );
    }
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the pipeline, CodeBuild and CodeDeploy roles read or write pipeline artifacts, which expire; CloudTrail records who did. A second log bucket is not worth its cost here.',
    });
  }
}
