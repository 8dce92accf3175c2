import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { LIVE_IMAGE_TAG, PREVIOUS_IMAGE_TAG } from '@webapp-color/hooks/image-tags';
import { physicalIds } from '../../stacks.js';
import { fail, pass, type Check } from '../check.js';

/** The tags the AfterAllowTraffic hook moves. */
const TAGS = [LIVE_IMAGE_TAG, PREVIOUS_IMAGE_TAG] as const;

/**
 * The release repository holds an image tagged `live` (production now) and
 * one tagged `previous` (production before): the lifecycle policy never
 * expires them, and a rollback needs the previous one.
 */
export const imagesCheck: Check = {
  id: 'release-images',
  title: 'ECR live and previous images present',
  controllers: ['codedeploy'],
  notApplicableBecause:
    'live and previous are tagged by the production hook once a release reaches production, and no release pipeline exists for this controller yet (issue 16, point 4)',
  async run({ clients, stateful }) {
    const [repositoryName] = physicalIds(stateful, 'AWS::ECR::Repository');
    if (!repositoryName) {
      return fail(`stack ${stateful.name} has no ECR repository`, 'deploy the stateful stack');
    }
    const found: string[] = [];
    const missing: string[] = [];
    for (const tag of TAGS) {
      try {
        const { imageDetails } = await clients.ecr.send(
          new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }),
        );
        const digest = imageDetails?.[0]?.imageDigest ?? '';
        found.push(`${tag} ${digest.slice(0, 19)}`);
      } catch (error) {
        // DescribeImages fails the whole call for an id that matches nothing.
        if (error instanceof Error && error.name === 'ImageNotFoundException') missing.push(tag);
        else throw error;
      }
    }
    if (missing.length > 0) {
      return fail(
        `${repositoryName}: no image tagged ${missing.join(' or ')}`,
        'the AfterAllowTraffic hook tags them once production serves a release (live after the first ' +
          'release through the pipeline, previous after the second); push to the branch to release, ' +
          "and if a release succeeded without them, read the hook's log (output ProductionCheckLogGroup)",
      );
    }
    return pass(`${repositoryName}: ${found.join(', ')}`);
  },
};
