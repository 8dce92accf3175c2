import { documentRule, type RuleHit } from '../../core/rule.js';
import { ENTRY_KEYS, IMAGE_DEFINITIONS_DOCS, imageDefinitions } from './imagedefinitions.js';

export const imagedefinitionsUnknownKey = documentRule(
  {
    id: 'IMAGEDEFINITIONS_UNKNOWN_KEY',
    kind: 'imagedefinitions',
    severity: 'warning',
    messages: {
      misspelt:
        '"{{key}}" is not a key of an image definition; CodePipeline documents "{{meant}}", spelt exactly so: rename it',
      unknown:
        '"{{key}}" is not a key of an image definition, which CodePipeline documents as only "name" and "imageUri"; remove it',
    },
    summary:
      'An entry has only the keys "name" and "imageUri" (a warning: CodePipeline documents no others).',
    why: 'CodePipeline documents each entry as exactly the pair "name" (the container) and "imageUri" (its image), with those spellings. It documents nothing of other keys, so an extra key is a warning: most often it is one of the two misspelt (ImageURI, imageURI, which is imageDetail.json\'s spelling), and then the documented key is missing, which is an error.',
    reference: IMAGE_DEFINITIONS_DOCS,
  },
  (document) =>
    imageDefinitions(document).flatMap((entry) =>
      Object.keys(entry.fields)
        .filter((key) => !(ENTRY_KEYS as readonly string[]).includes(key))
        .map((key): RuleHit => {
          const meant = ENTRY_KEYS.find((known) => known.toLowerCase() === key.toLowerCase());
          return {
            path: [...entry.path, key],
            at: 'key',
            ...(meant
              ? { messageId: 'misspelt', data: { key, meant } }
              : { messageId: 'unknown', data: { key } }),
          };
        }),
    ),
);
