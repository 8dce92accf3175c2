import { IMAGE_DEFINITIONS_DOCS } from '../../models/imagedefinitions.js';

export { IMAGE_DEFINITIONS_DOCS };

/** The documented keys of an entry. */
export const ENTRY_KEYS = ['name', 'imageUri'] as const;

export { imageDefinitions } from '../../access/imagedefinitions.js';
