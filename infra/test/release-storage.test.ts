import { Match } from 'aws-cdk-lib/assertions';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import { resourcesOf, stagingConfig, synthesize } from './support.js';

// Both stacks, synthesized once for the whole file, with the real bootstrap image asset.
const { app, stateful } = synthesize(stagingConfig, webappColor, { realBootstrapImage: true });
const resources = resourcesOf(app);

describe('Release storage', () => {
  it('creates an immutable, scanned ECR repository with a lifecycle, excluding only the cache tag', () => {
    stateful.hasResourceProperties('AWS::ECR::Repository', {
      ImageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      ImageTagMutabilityExclusionFilters: [
        {
          ImageTagMutabilityExclusionFilterType: 'WILDCARD',
          ImageTagMutabilityExclusionFilterValue: webappColor.build.cacheImageTag,
        },
      ],
      ImageScanningConfiguration: { ScanOnPush: true },
      LifecyclePolicy: {
        LifecyclePolicyText: Match.stringLikeRegexp(
          '"countType":"imageCountMoreThan","countNumber":30',
        ),
      },
    });
    stateful.hasResource('AWS::ECR::Repository', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
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
    app.hasResourceProperties('AWS::S3::BucketPolicy', {
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

  it('pins the logical ids of the resources whose replacement would lose data or break CodeDeploy', () => {
    expect(resourcesOf(stateful).ImageRepository?.Type).toBe('AWS::ECR::Repository');
    const pinned = {
      ArtifactBucket: 'AWS::S3::Bucket',
      AccessLogsBucket: 'AWS::S3::Bucket',
      AppLogGroup: 'AWS::Logs::LogGroup',
      Service: 'AWS::ECS::Service',
      BlueTargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      GreenTargetGroup: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      ProductionListener: 'AWS::ElasticLoadBalancingV2::Listener',
      TestListener: 'AWS::ElasticLoadBalancingV2::Listener',
      DeploymentGroup: 'AWS::CodeDeploy::DeploymentGroup',
      // The parents whose replacement would replace the two above.
      Cluster: 'AWS::ECS::Cluster',
      CodeDeployApplication: 'AWS::CodeDeploy::Application',
      // A replacement is PENDING until the console handshake is done again.
      GitHubConnection: 'AWS::CodeStarConnections::Connection',
    };
    for (const [id, type] of Object.entries(pinned)) expect(resources[id]?.Type, id).toBe(type);
    for (const id of ['ArtifactBucket', 'AccessLogsBucket', 'AppLogGroup']) {
      app.templateMatches({ Resources: { [id]: { DeletionPolicy: 'Retain' } } });
    }
  });
});
