import {
  IMAGE_PLACEHOLDER_PATTERN,
  imageVerdict,
  imageVerdictHit,
  type ImageVerdictKind,
} from '../taskdef/image-reference.js';
import { documentRule, type RuleHit, type RuleMessages } from '../../core/rule.js';
import { IMAGE_DEFINITIONS_DOCS, imageDefinitions } from './imagedefinitions.js';

export const imagedefinitionsImageUri = documentRule(
  {
    id: 'IMAGEDEFINITIONS_IMAGE_URI',
    kind: 'imagedefinitions',
    severity: 'error',
    messages: {
      placeholder:
        '"{{image}}" is a placeholder, and nothing fills one in imagedefinitions.json: the deploy action puts it in the task definition as written; have the build write the pushed image\'s URI (e.g. printf \'[{"name":"%s","imageUri":"%s"}]\' web $REPOSITORY_URI:$TAG > imagedefinitions.json)',
      tooLong:
        'the image is {{length}} characters long before any @digest, and RegisterTaskDefinition accepts up to 255; use a full URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0',
      notRegisterable:
        '"{{image}}" is not an image RegisterTaskDefinition accepts: up to 255 letters, numbers, hyphens, underscores, colons, periods, slashes and #, then optionally @sha256: and 64 hex digits; use a full URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0',
      implicitRegistry:
        '"{{image}}" leaves the registry (Docker Hub) implicit; use a full URI with a tag or digest such as {{suggestion}}',
      implicitTag:
        '"{{image}}" leaves the tag (:latest) implicit; use a full URI with a tag or digest such as {{suggestion}}',
      implicitRegistryAndTag:
        '"{{image}}" leaves the registry (Docker Hub) and the tag (:latest) implicit; use a full URI with a tag or digest such as {{suggestion}}',
      unfilledPlaceholder:
        '"{{image}}" is not an image Docker can pull: {{words}} looks like a placeholder nothing filled; ECS registers the task definition, but every task fails to pull the image until a build step replaces it',
      notPullable:
        '"{{image}}" is not an image reference Docker can pull; ECS registers the task definition, but every task fails to pull the image: use a full URI such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0',
    } satisfies RuleMessages & Record<ImageVerdictKind, string>,
    summary:
      'Each imageUri is an image reference the task definition can take (as TASKDEF_IMAGE_REFERENCE judges it); a placeholder is an error, no registry or tag a warning.',
    why: "The deploy action copies imageUri into the new task-definition revision as the container's image, so it must be an image RegisterTaskDefinition accepts and ECS can pull. Nothing fills a placeholder here (<IMAGE1_NAME> is CodeDeployToECS's, for taskdef.json): the file is the filled result. A bare name pulls Docker Hub :latest, which changes under you; that is a warning, as in the task definition.",
    reference: IMAGE_DEFINITIONS_DOCS,
  },
  (document) =>
    imageDefinitions(document).flatMap((entry): RuleHit[] => {
      const image = entry.imageUri;
      if (typeof image !== 'string' || image === '') return [];
      const path = [...entry.path, 'imageUri'];
      if (IMAGE_PLACEHOLDER_PATTERN.test(image))
        return [
          {
            path,
            messageId: 'placeholder',
            data: { image },
          },
        ];
      const verdict = imageVerdict(image);
      return verdict ? [imageVerdictHit(path, verdict)] : [];
    }),
);
