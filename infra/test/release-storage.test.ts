import { Match, Template } from 'aws-cdk-lib/assertions';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { ArtifactStore, ImageRepository } from '../lib/constructs/release-storage.js';
import { constructStack } from './stand-ins.js';
import { resourcesOf } from './support.js';

// Each in a stack of its own, with the staging configuration's retention.
function imageRepositoryTemplate(): Template {
  const stack = constructStack();
  new ImageRepository(stack, 'Images', {
    imagesKept: 30,
    untaggedImageDays: 7,
    cacheImageTag: webappColor.build.cacheImageTag,
  });
  return Template.fromStack(stack);
}

function artifactStoreTemplate(): Template {
  const stack = constructStack();
  new ArtifactStore(stack, 'Artifacts', { artifactDays: 30 });
  return Template.fromStack(stack);
}

const repositoryTemplate = imageRepositoryTemplate();
const store = artifactStoreTemplate();
const resources = resourcesOf(store);

describe('Release storage', () => {
  it('creates an immutable, scanned ECR repository with a lifecycle, excluding only the cache tag', () => {
    repositoryTemplate.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [webappColor.build.cacheImageTag, 'live', 'previous'].map(
        (tag) => ({
          ImageTagMutabilityExclusionFilterType: 'WILDCARD',
          ImageTagMutabilityExclusionFilterValue: tag,
        }),
      ),
      ImageScanningConfiguration: { ScanOnPush: true },
    });
    repositoryTemplate.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  const lifecycle = () => {
    const repository = Object.values(resourcesOf(repositoryTemplate)).find(
      (r) => r.Type === 'AWS::ECR::Repository',
    )!;
    return JSON.parse(
      (repository.Properties.LifecyclePolicy as { LifecyclePolicyText: string })
        .LifecyclePolicyText,
    ) as { rules: LifecycleRule[] };
  };

  it('creates a lifecycle that never expires live and previous, and counts only release images', () => {
    expect(lifecycle().rules.map((rule) => rule.selection)).toEqual([
      {
        tagStatus: 'tagged',
        tagPatternList: ['live'],
        countType: 'imageCountMoreThan',
        countNumber: 1,
      },
      {
        tagStatus: 'tagged',
        tagPatternList: ['previous'],
        countType: 'imageCountMoreThan',
        countNumber: 1,
      },
      {
        tagStatus: 'tagged',
        tagPatternList: [webappColor.build.cacheImageTag],
        countType: 'imageCountMoreThan',
        countNumber: 1,
      },
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      {
        tagStatus: 'tagged',
        tagPatternList: ['*'],
        countType: 'imageCountMoreThan',
        countNumber: 31,
      },
    ]);
  });

  it('creates a lifecycle that keeps the newest 30 releases, the cache and the running image, however many releases failed since', () => {
    // ECR's documented evaluation: a rule sees every image its selection
    // matches, but marks only those no higher-priority rule matched.
    const day = 86_400_000;
    const now = Date.UTC(2026, 0, 31);
    const images: RepositoryImage[] = [
      ...Array.from({ length: 40 }, (_, i) => ({
        id: `release-${i}`,
        tags: [i.toString(16).padStart(7, 'a')],
        pushedAt: now - (40 - i) * day,
      })),
      { id: 'cache', tags: [webappColor.build.cacheImageTag], pushedAt: now },
      // Production runs an old release, and the one before it is the rollback
      // target: 40+ releases failed since (the AfterAllowTraffic hook tags only
      // what production serves).
      { id: 'running', tags: ['0000001', 'live'], pushedAt: now - 90 * day },
      { id: 'rollback-target', tags: ['0000000', 'previous'], pushedAt: now - 91 * day },
      ...Array.from({ length: 60 }, (_, i) => ({
        id: `old-cache-${i}`,
        tags: [],
        pushedAt: now - (i % 20) * day,
      })),
    ];
    const kept = survivors(lifecycle().rules, images, now).map((image) => image.id);
    expect(kept.filter((id) => id.startsWith('release-'))).toEqual(
      Array.from({ length: 30 }, (_, i) => `release-${i + 10}`),
    );
    expect(kept).toEqual(expect.arrayContaining(['cache', 'running', 'rollback-target']));
    expect(kept.filter((id) => id.startsWith('old-cache-'))).toHaveLength(
      images.filter((image) => image.tags.length === 0 && now - image.pushedAt <= 7 * day).length,
    );
  });

  it('creates the artifact bucket encrypted, TLS-only, private and expiring', () => {
    const bucket = resources.ArtifactBucket!;
    expect(bucket.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' })],
      },
    });
    store.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: 'ArtifactBucket' },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

interface LifecycleRule {
  readonly rulePriority: number;
  readonly selection: {
    readonly tagStatus: 'tagged' | 'untagged' | 'any';
    readonly tagPatternList?: string[];
    readonly countType: 'imageCountMoreThan' | 'sinceImagePushed';
    readonly countNumber: number;
  };
}

interface RepositoryImage {
  readonly id: string;
  readonly tags: string[];
  readonly pushedAt: number;
}

function selects(rule: LifecycleRule, image: RepositoryImage): boolean {
  const { tagStatus, tagPatternList = [] } = rule.selection;
  if (tagStatus === 'any') return true;
  if (tagStatus === 'untagged') return image.tags.length === 0;
  const pattern = (glob: string) => new RegExp(`^${glob.split('*').join('.*')}$`);
  return (
    image.tags.length > 0 &&
    tagPatternList.every((glob) => image.tags.some((tag) => pattern(glob).test(tag)))
  );
}

/**
 * The images a lifecycle policy leaves, by ECR's rule-evaluation semantics:
 * "Rules can never mark images matched by higher priority rules, but can
 * still view them" (Amazon ECR User Guide, lifecycle policy evaluation). A
 * count rule therefore counts, newest first, every image its selection
 * matches, and expires only the unclaimed ones past its count.
 */
function survivors(rules: LifecycleRule[], images: RepositoryImage[], now: number) {
  const byPriority = [...rules].sort((a, b) => a.rulePriority - b.rulePriority);
  const expired = new Set<string>();
  const claimed = new Set<string>();
  for (const rule of byPriority) {
    const viewed = images
      .filter((image) => selects(rule, image))
      .sort((a, b) => b.pushedAt - a.pushedAt);
    const { countType, countNumber } = rule.selection;
    const beyond =
      countType === 'imageCountMoreThan'
        ? viewed.slice(countNumber)
        : viewed.filter((image) => now - image.pushedAt > countNumber * 86_400_000);
    for (const image of beyond) if (!claimed.has(image.id)) expired.add(image.id);
    for (const image of viewed) claimed.add(image.id);
  }
  return images.filter((image) => !expired.has(image.id));
}
