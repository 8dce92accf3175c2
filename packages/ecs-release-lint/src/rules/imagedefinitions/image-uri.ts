import { IMAGE_PLACEHOLDER_PATTERN, imageVerdict } from '../taskdef/image-reference.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { IMAGE_DEFINITIONS_DOCS, imageDefinitions } from './imagedefinitions.js';

export const imagedefinitionsImageUri = documentRule(
  {
    id: 'IMAGEDEFINITIONS_IMAGE_URI',
    kind: 'imagedefinitions',
    severity: 'error',
    messages: {
      placeholder:
        '"{{image}}" is a placeholder, and nothing fills one in imagedefinitions.json: the deploy action puts it in the task definition as written; have the build write the pushed image\'s URI (e.g. printf \'[{"name":"%s","imageUri":"%s"}]\' web $REPOSITORY_URI:$TAG > imagedefinitions.json)',
    },
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
      return verdict ? [{ path, ...verdict }] : [];
    }),
);
