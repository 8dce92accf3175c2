import { IMAGE_DEFINITIONS_DOCS } from '../../models/imagedefinitions.js';
import { records } from '../../core/rule.js';

export { IMAGE_DEFINITIONS_DOCS };

/** The documented keys of an entry. */
export const ENTRY_KEYS = ['name', 'imageUri'] as const;

/** The entries of an imagedefinitions.json that are objects, with their indexes. */
export const imageDefinitions = (document: unknown) => records(document);

/** An imagedefinitions.json for examples: one entry per [name, imageUri]. */
export function imageDefinitionsExample(...entries: (readonly [string, string])[]): string {
  const lines = entries.map(
    ([name, imageUri]) =>
      `  { "name": ${JSON.stringify(name)}, "imageUri": ${JSON.stringify(imageUri)} }`,
  );
  return `[\n${lines.join(',\n')}\n]\n`;
}

export const EXAMPLE_IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2';
