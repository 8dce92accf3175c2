import { IMAGE_DEFINITIONS_DOCS } from '../../models/imagedefinitions.js';
import { records } from '../../core/rule.js';

export { IMAGE_DEFINITIONS_DOCS };

/** The documented keys of an entry. */
export const ENTRY_KEYS = ['name', 'imageUri'] as const;

/** The entries of an imagedefinitions.json that are objects, with their indexes. */
export const imageDefinitions = (document: unknown) => records(document);
