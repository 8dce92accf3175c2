import * as z from 'zod';

/** CodePipeline's reference for the file the ECS standard deploy action reads. */
export const IMAGE_DEFINITIONS_DOCS =
  'https://docs.aws.amazon.com/codepipeline/latest/userguide/file-reference.html#pipelines-create-image-definitions';

/**
 * One entry of imagedefinitions.json. Loose: CodePipeline documents only these two keys and
 * says nothing of others, so IMAGEDEFINITIONS_ENTRY warns about extra keys instead of the
 * schema refusing them.
 */
export const ImageDefinitionSchema = z
  .looseObject({
    name: z
      .string()
      .min(1)
      .describe(
        'The name of a container in the service’s task definition (containerDefinitions[].name).',
      ),
    imageUri: z
      .string()
      .min(1)
      .describe(
        'The image that container runs in the new revision, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0.',
      ),
  })
  .describe('One container and the image the deployment gives it.');

/**
 * imagedefinitions.json: the input of CodePipeline's Amazon ECS (standard) deploy action,
 * which copies the service's task definition with these images into a new revision.
 */
export const ImageDefinitionsSchema = z
  .array(ImageDefinitionSchema)
  .min(1)
  .describe(
    'A JSON array of { "name": container name, "imageUri": image } entries, one per container to update.',
  );

export type ImageDefinition = z.infer<typeof ImageDefinitionSchema>;
export type ImageDefinitions = z.infer<typeof ImageDefinitionsSchema>;
