import { fieldsOf } from './node.js';
import type { ListEntry } from './node.js';

/** An entry of imagedefinitions.json. */
export interface ImageDefinitionView extends ListEntry {
  readonly name: unknown;
  readonly imageUri: unknown;
}

/** The entries of an imagedefinitions.json that are mappings (a file that is not a list yields none). */
export function imageDefinitions(document: unknown): ImageDefinitionView[] {
  if (!Array.isArray(document)) return [];
  return document.flatMap((item: unknown, index): ImageDefinitionView[] => {
    const fields = fieldsOf(item);
    return fields === undefined
      ? []
      : [{ index, path: [index], fields, name: fields.name, imageUri: fields.imageUri }];
  });
}
