import { documentRule, type RuleHit } from '../../core/rule.js';
import { containers } from './task.js';

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
// What RegisterTaskDefinition accepts (ContainerDefinition.image): up to 255 letters, numbers,
// hyphens, underscores, colons, periods, forward slashes and number signs, and after them
// optionally a sha256 digest, which the 255 do not count. It does not parse the reference:
// a string Docker cannot pull registers, and only its tasks fail.
const REGISTERABLE = /^[A-Za-z0-9_:./#-]{1,255}(?:@sha256:[0-9A-Fa-f]{64})?$/;
// A word in capitals (REPLACE_IMAGE, IMAGE_URI, ACCOUNT_ID): what a build step was meant to replace.
const CAPITALS = /(?<![A-Za-z0-9])[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*(?![a-z0-9])/g;

/** The words in capitals of an image string that Docker's grammar refuses, i.e. unfilled placeholders. */
function unfilledWords(image: string): string[] {
  return [...image.matchAll(CAPITALS)].map((match) => match[0]).filter((word) => word.length > 1);
}

/**
 * What is wrong with an image string ECS would register and pull as written (not a
 * placeholder): an error when RegisterTaskDefinition refuses it, a warning when it registers
 * but leaves its registry or tag implicit or Docker cannot pull it. `instead` starts the
 * suggestion (the taskdef offers its placeholder, which CodeDeployToECS fills).
 */
export function imageVerdict(
  image: string,
  instead = '',
): { severity?: 'warning'; message: string } | undefined {
  if (!REGISTERABLE.test(image)) {
    const name = image.split('@')[0]!;
    return {
      message: `${name.length > 255 ? `the image is ${name.length} characters long before any @digest, and RegisterTaskDefinition accepts up to 255` : `"${image}" is not an image RegisterTaskDefinition accepts: up to 255 letters, numbers, hyphens, underscores, colons, periods, slashes and #, then optionally @sha256: and 64 hex digits`}; use ${instead}a full URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0`,
    };
  }
  if (FULL_IMAGE_URI.test(image) && PINNED.test(image)) return undefined;
  if (FULL_IMAGE_URI.test(image) || SHORT_IMAGE.test(image)) {
    const missing = [
      ...(FULL_IMAGE_URI.test(image) ? [] : ['the registry (Docker Hub)']),
      ...(PINNED.test(image) ? [] : ['the tag (:latest)']),
    ];
    return {
      severity: 'warning',
      // Only a Docker Hub name moves under public.ecr.aws's mirror of the official images.
      message: `"${image}" leaves ${missing.join(' and ')} implicit; use ${instead}a full URI with a tag or digest such as ${FULL_IMAGE_URI.test(image) ? '' : 'public.ecr.aws/docker/library/'}${PINNED.test(image) ? image : `${image}:<tag>`}`,
    };
  }
  const words = unfilledWords(image);
  return {
    severity: 'warning',
    message:
      words.length > 0
        ? `"${image}" is not an image Docker can pull: ${words.join(', ')} looks like a placeholder nothing filled; ECS registers the task definition, but every task fails to pull the image until a build step replaces it${instead ? ` (or use ${instead.replace(/ or $/, '')}, which CodeDeployToECS fills)` : ''}`
        : `"${image}" is not an image reference Docker can pull; ECS registers the task definition, but every task fails to pull the image: use ${instead}a full URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0`,
  };
}

export const taskdefImageReference = documentRule(
  {
    id: 'TASKDEF_IMAGE_REFERENCE',
    kind: 'taskdef',
    severity: 'error',
    messages: {
      noImage:
        'this container has no "image"; use "<IMAGE1_NAME>" for the pipeline to fill, or a full image URI',
    },
    summary:
      'The image is a placeholder CodeDeployToECS fills (<IMAGE1_NAME>) or an image reference; one without registry or tag, or one Docker cannot pull, is a warning.',
    why: 'RegisterTaskDefinition refuses an image with characters outside its set (letters, numbers, hyphens, underscores, colons, periods, slashes, #; up to 255) or a digest that is not sha256. Within that set it registers anything, and ECS pulls exactly what it is given: a string Docker cannot parse (a REPLACE_IMAGE a build step was meant to fill) fails every task launch, and a bare name pulls Docker Hub :latest, which changes under you. Those are warnings, since the task definition itself registers.',
    reference:
      'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html',
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const container of containers(document)) {
      const image = container.fields.image;
      const path = [...container.path, 'image'];
      if (image === undefined) {
        hits.push({
          path,
          messageId: 'noImage',
        });
        continue;
      }
      if (typeof image !== 'string' || IMAGE_PLACEHOLDER_PATTERN.test(image)) continue;
      const verdict = imageVerdict(image, '"<IMAGE1_NAME>" or ');
      if (verdict) hits.push({ path, ...verdict });
    }
    return hits;
  },
);
