import type { DocumentPath, Severity } from '../../core/findings.js';
import {
  documentRule,
  type MessageData,
  type RuleHit,
  type RuleMessages,
} from '../../core/rule.js';
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
 * placeholder), for each rule that judges images to word in its own messages (keyed by `kind`,
 * with the verdict's other fields as slots: `imageVerdictSlots`). `tooLong` and `notRegisterable`
 * are what RegisterTaskDefinition refuses; the others register, but leave the registry or tag
 * implicit, or name an image Docker cannot pull (`unfilledPlaceholder`: with capitalised words a
 * build step was meant to replace).
 */
export type ImageVerdict = { readonly image: string } & (
  | { readonly kind: 'tooLong'; readonly length: number }
  | { readonly kind: 'notRegisterable' }
  | {
      readonly kind: 'implicitRegistry' | 'implicitTag' | 'implicitRegistryAndTag';
      /** The image as a full URI with a tag (`:<tag>` when it has none). */
      readonly suggestion: string;
    }
  | { readonly kind: 'unfilledPlaceholder'; readonly words: readonly string[] }
  | { readonly kind: 'notPullable' }
);

/** The kinds of image verdict: the message ids of each rule that reports them. */
export type ImageVerdictKind = ImageVerdict['kind'];

export function imageVerdict(image: string): ImageVerdict | undefined {
  if (!REGISTERABLE.test(image)) {
    const name = image.split('@')[0]!;
    return name.length > 255
      ? { kind: 'tooLong', image, length: name.length }
      : { kind: 'notRegisterable', image };
  }
  const full = FULL_IMAGE_URI.test(image);
  const pinned = PINNED.test(image);
  if (full && pinned) return undefined;
  if (full || SHORT_IMAGE.test(image)) {
    return {
      kind: full ? 'implicitTag' : pinned ? 'implicitRegistry' : 'implicitRegistryAndTag',
      image,
      // Only a Docker Hub name moves under public.ecr.aws's mirror of the official images.
      suggestion: `${full ? '' : 'public.ecr.aws/docker/library/'}${pinned ? image : `${image}:<tag>`}`,
    };
  }
  const words = unfilledWords(image);
  return words.length > 0
    ? { kind: 'unfilledPlaceholder', image, words }
    : { kind: 'notPullable', image };
}

/** Only RegisterTaskDefinition's refusals are errors: the rest registers, and only its tasks fail. */
export function imageVerdictSeverity(verdict: ImageVerdict): Severity {
  return verdict.kind === 'tooLong' || verdict.kind === 'notRegisterable' ? 'error' : 'warning';
}

/** A verdict's slots: `{{image}}`, and `{{length}}`, `{{suggestion}}` or `{{words}}` by kind. */
export function imageVerdictSlots(verdict: ImageVerdict): MessageData {
  switch (verdict.kind) {
    case 'tooLong':
      return { image: verdict.image, length: verdict.length };
    case 'implicitRegistry':
    case 'implicitTag':
    case 'implicitRegistryAndTag':
      return { image: verdict.image, suggestion: verdict.suggestion };
    case 'unfilledPlaceholder':
      return { image: verdict.image, words: verdict.words.join(', ') };
    default:
      return { image: verdict.image };
  }
}

/** An image hit at `path`: the verdict's kind is the id of one of the rule's messages. */
export function imageVerdictHit(path: DocumentPath, verdict: ImageVerdict): RuleHit {
  return {
    path,
    messageId: verdict.kind,
    data: imageVerdictSlots(verdict),
    severity: imageVerdictSeverity(verdict),
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
      tooLong:
        'the image is {{length}} characters long before any @digest, and RegisterTaskDefinition accepts up to 255; use "<IMAGE1_NAME>" or a full URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0',
      notRegisterable:
        '"{{image}}" is not an image RegisterTaskDefinition accepts: up to 255 letters, numbers, hyphens, underscores, colons, periods, slashes and #, then optionally @sha256: and 64 hex digits; use "<IMAGE1_NAME>" or a full URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0',
      implicitRegistry:
        '"{{image}}" leaves the registry (Docker Hub) implicit; use "<IMAGE1_NAME>" or a full URI with a tag or digest such as {{suggestion}}',
      implicitTag:
        '"{{image}}" leaves the tag (:latest) implicit; use "<IMAGE1_NAME>" or a full URI with a tag or digest such as {{suggestion}}',
      implicitRegistryAndTag:
        '"{{image}}" leaves the registry (Docker Hub) and the tag (:latest) implicit; use "<IMAGE1_NAME>" or a full URI with a tag or digest such as {{suggestion}}',
      unfilledPlaceholder:
        '"{{image}}" is not an image Docker can pull: {{words}} looks like a placeholder nothing filled; ECS registers the task definition, but every task fails to pull the image until a build step replaces it (or use "<IMAGE1_NAME>", which CodeDeployToECS fills)',
      notPullable:
        '"{{image}}" is not an image reference Docker can pull; ECS registers the task definition, but every task fails to pull the image: use "<IMAGE1_NAME>" or a full URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0',
    } satisfies RuleMessages & Record<ImageVerdictKind, string>,
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
      const verdict = imageVerdict(image);
      if (verdict) hits.push(imageVerdictHit(path, verdict));
    }
    return hits;
  },
);
