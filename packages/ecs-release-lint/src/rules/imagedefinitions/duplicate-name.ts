import { documentRule, type RuleHit } from '../../core/rule.js';
import { IMAGE_DEFINITIONS_DOCS, imageDefinitions } from './imagedefinitions.js';

export const imagedefinitionsDuplicateName = documentRule(
  {
    id: 'IMAGEDEFINITIONS_DUPLICATE_NAME',
    kind: 'imagedefinitions',
    severity: 'error',
    messages: {
      duplicate:
        'container "{{name}}" already has an image in entry [{{earlier}}]; keep one entry per container',
    },
    summary: 'Each container name appears once: one image per container.',
    why: 'Each entry maps one container of the task definition to the image it runs, and a container runs one image. Two entries for one name give it two images, and which one the new revision gets is not documented: the file does not say what is deployed.',
    reference: IMAGE_DEFINITIONS_DOCS,
  },
  (document) => {
    const first = new Map<string, number>();
    const hits: RuleHit[] = [];
    for (const entry of imageDefinitions(document)) {
      if (typeof entry.name !== 'string') continue;
      const earlier = first.get(entry.name);
      if (earlier === undefined) {
        first.set(entry.name, entry.index);
        continue;
      }
      hits.push({
        path: [...entry.path, 'name'],
        messageId: 'duplicate',
        data: { name: entry.name, earlier },
      });
    }
    return hits;
  },
);
