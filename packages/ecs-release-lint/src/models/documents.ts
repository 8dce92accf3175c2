import type { z } from 'zod';
import type { DocumentKind } from '../core/rule.js';
import { AppSpecSchema, type AppSpec } from './appspec.js';
import { BuildspecSchema, type Buildspec } from './buildspec.js';
import { ImageDefinitionsSchema, type ImageDefinitions } from './imagedefinitions.js';
import { TaskDefinitionSchema, type TaskDefinition } from './taskdef.js';

export interface DocumentTypes {
  appspec: AppSpec;
  buildspec: Buildspec;
  taskdef: TaskDefinition;
  imagedefinitions: ImageDefinitions;
}

/** The zod model of each kind of document: the one source of the types and the JSON Schemas. */
export const DOCUMENT_SCHEMAS: { readonly [K in DocumentKind]: z.ZodType<DocumentTypes[K]> } = {
  appspec: AppSpecSchema,
  buildspec: BuildspecSchema,
  taskdef: TaskDefinitionSchema,
  imagedefinitions: ImageDefinitionsSchema,
};
