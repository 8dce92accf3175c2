import { documentRule, type RuleHit } from '../rule.js';
import { containers, fargateExample } from './task.js';

/** A whole-value placeholder such as <IMAGE1_NAME>, which CodeDeployToECS fills. */
export const IMAGE_PLACEHOLDER_PATTERN = /^<[^<>\s]+>$/;
// Docker's reference grammar: an optional registry host (a dot, a port or localhost; any case),
// lower-case path components, then :tag and/or @digest.
const HOST = String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?::\d+)?|localhost(?::\d+)?|[A-Za-z0-9-]+:\d+)`;
const PATH = String.raw`[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*`;
const TAG = String.raw`:[\w][\w.-]{0,127}`;
const DIGEST = String.raw`@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`;
const FULL_IMAGE_URI = new RegExp(`^${HOST}\\/${PATH}(?:${TAG})?(?:${DIGEST})?$`);
const SHORT_IMAGE = new RegExp(`^${PATH}(?:${TAG})?(?:${DIGEST})?$`);
const PINNED = new RegExp(`(?:${TAG}|${DIGEST})$`);

export const taskdefImageReference = documentRule(
  {
    id: 'TASKDEF_IMAGE_REFERENCE',
    kind: 'taskdef',
    severity: 'error',
    summary:
      'The image is a placeholder CodeDeployToECS fills (<IMAGE1_NAME>) or an image reference; a reference without registry or tag is a warning.',
    why: 'ECS pulls exactly the reference it is given: a malformed one fails every task launch, and a bare name pulls Docker Hub :latest, which changes under you.',
    reference:
      'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html',
    example: {
      bad: {
        'taskdef.json': fargateExample('').replace(
          '<IMAGE1_NAME>',
          'public.ecr.aws/docker/library/httpd:2.4:latest',
        ),
      },
      good: {
        'taskdef.json': fargateExample('').replace(
          '<IMAGE1_NAME>',
          'public.ecr.aws/docker/library/httpd:2.4',
        ),
      },
    },
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const [index, container] of containers(document)) {
      const image = container.image;
      const path = ['containerDefinitions', index, 'image'];
      if (image === undefined) {
        hits.push({
          path,
          message:
            'this container has no "image"; use "<IMAGE1_NAME>" for the pipeline to fill, or a full image URI',
        });
        continue;
      }
      if (typeof image !== 'string' || IMAGE_PLACEHOLDER_PATTERN.test(image)) continue;
      if (FULL_IMAGE_URI.test(image) && PINNED.test(image)) continue;
      if (FULL_IMAGE_URI.test(image) || SHORT_IMAGE.test(image)) {
        const missing = [
          ...(FULL_IMAGE_URI.test(image) ? [] : ['the registry (Docker Hub)']),
          ...(PINNED.test(image) ? [] : ['the tag (:latest)']),
        ];
        hits.push({
          path,
          severity: 'warning',
          message: `"${image}" leaves ${missing.join(' and ')} implicit; use "<IMAGE1_NAME>" or a full URI with a tag or digest such as public.ecr.aws/docker/library/${PINNED.test(image) ? image : `${image}:<tag>`}`,
        });
      } else {
        hits.push({
          path,
          message: `"${image}" is not an image reference; use "<IMAGE1_NAME>" or a full URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0`,
        });
      }
    }
    return hits;
  },
);
