import type { DeliveryDefinition } from '../definition/types.js';
import type { Finding } from 'ecs-release-lint/validate';
import { appSpecYaml, taskDefinitionJson } from 'ecs-release-lint/render';
import { formatJson } from 'ecs-release-lint/render';
import { checkRelease } from 'ecs-release-lint/validate';
import { checkDocument } from 'ecs-release-lint/validate';
import {
  ecsReleaseTaskDefinition,
  imageDefinitions,
  imageDetail,
  releaseAppSpec,
  releaseTaskDefinition,
} from './documents.js';
import type { EcsReleaseValues, ReleaseValues } from './values.js';

/** A file to write, relative to the output folder. */
export interface RenderedFile {
  readonly name: string;
  readonly content: string;
}

export interface ReleaseRender {
  readonly files: readonly RenderedFile[];
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
}

export interface ReleaseRenderOptions {
  /** The app's Dockerfile, to check that it exposes the container port. */
  readonly dockerfile?: { readonly file: string; readonly text: string };
  /** Also render imageDetail.json (`<repository>:<commit>`, the image the build pushed). */
  readonly imageDetail?: boolean;
  /**
   * The AppSpec JSON Schema as a path relative to the output folder: the
   * rendered appspec.yaml then starts with a `yaml-language-server` modeline,
   * so editors complete and check it.
   * @default no modeline
   */
  readonly appSpecSchemaPath?: string;
}

/**
 * Renders taskdef.json and appspec.yaml of one release in memory and
 * validates them, alone and together (with the Dockerfile when given).
 * Nothing is written: the caller writes the files only when there are no errors.
 */
export function renderRelease(
  definition: DeliveryDefinition,
  values: ReleaseValues,
  options: ReleaseRenderOptions = {},
): ReleaseRender {
  const files: RenderedFile[] = [
    {
      name: 'taskdef.json',
      content: taskDefinitionJson(releaseTaskDefinition(definition, values)),
    },
    {
      name: 'appspec.yaml',
      content: appSpecYaml(
        releaseAppSpec(definition, values),
        options.appSpecSchemaPath === undefined
          ? undefined
          : [`yaml-language-server: $schema=${options.appSpecSchemaPath}`],
      ),
    },
  ];
  if (options.imageDetail)
    files.unshift({ name: 'imageDetail.json', content: formatJson(imageDetail(values)) });
  const taskdef = checkDocument(
    'taskdef',
    'taskdef.json',
    files.find((file) => file.name === 'taskdef.json')!.content,
  );
  const appspec = checkDocument(
    'appspec',
    'appspec.yaml',
    files.find((file) => file.name === 'appspec.yaml')!.content,
  );
  const cross = checkRelease({
    taskdef: taskdef.source,
    appspec: appspec.source,
    dockerfile: options.dockerfile,
  });
  const all = [
    ...taskdef.result.errors,
    ...taskdef.result.warnings,
    ...appspec.result.errors,
    ...appspec.result.warnings,
    ...cross,
  ];
  return {
    files,
    errors: all.filter((finding) => finding.severity === 'error'),
    warnings: all.filter((finding) => finding.severity === 'warning'),
  };
}

/**
 * Renders the files of an `ecs` release in memory and validates them,
 * alone and together: taskdef.json (the full task definition, the image by
 * digest) and imagedefinitions.json, whose names the validator checks
 * against the taskdef's containers. Nothing is written.
 */
export function renderEcsRelease(
  definition: DeliveryDefinition,
  values: EcsReleaseValues,
  options: Pick<ReleaseRenderOptions, 'dockerfile'> = {},
): ReleaseRender {
  const files: RenderedFile[] = [
    {
      name: 'taskdef.json',
      content: taskDefinitionJson(ecsReleaseTaskDefinition(definition, values)),
    },
    {
      name: 'imagedefinitions.json',
      content: formatJson(imageDefinitions(definition, values)),
    },
  ];
  return { files, ...checkEcsRelease(files, options.dockerfile) };
}

/**
 * Validates the files of an `ecs` release (taskdef.json and
 * imagedefinitions.json), alone and against each other: the linter's
 * cross-file rules, and that imagedefinitions.json gives each container the
 * image taskdef.json names (the release registers the taskdef as it is, so
 * an imagedefinitions.json that says otherwise misleads whoever reads it).
 */
export function checkEcsRelease(
  files: readonly RenderedFile[],
  dockerfile?: ReleaseRenderOptions['dockerfile'],
): Pick<ReleaseRender, 'errors' | 'warnings'> {
  const text = (name: string): string => {
    const file = files.find((candidate) => candidate.name === name);
    if (!file) throw new Error(`the ecs release has no ${name}`);
    return file.content;
  };
  const taskdef = checkDocument('taskdef', 'taskdef.json', text('taskdef.json'));
  const definitions = checkDocument(
    'imagedefinitions',
    'imagedefinitions.json',
    text('imagedefinitions.json'),
  );
  const cross = checkRelease({
    taskdef: taskdef.source,
    imagedefinitions: definitions.source,
    dockerfile,
  });
  const all = [
    ...taskdef.result.errors,
    ...taskdef.result.warnings,
    ...definitions.result.errors,
    ...definitions.result.warnings,
    ...cross,
    ...imageMismatches(taskdef.source.value, definitions.source.value),
  ];
  return {
    errors: all.filter((finding) => finding.severity === 'error'),
    warnings: all.filter((finding) => finding.severity === 'warning'),
  };
}

function imageMismatches(taskdef: unknown, definitions: unknown): Finding[] {
  if (!Array.isArray(definitions) || typeof taskdef !== 'object' || taskdef === null) return [];
  const containers = (taskdef as { containerDefinitions?: unknown }).containerDefinitions;
  if (!Array.isArray(containers)) return [];
  const images = new Map<string, unknown>(
    containers.flatMap((container: unknown) => {
      const { name, image } = (container ?? {}) as { name?: unknown; image?: unknown };
      return typeof name === 'string' ? [[name, image] as const] : [];
    }),
  );
  return definitions.flatMap((entry: unknown, index): Finding[] => {
    const { name, imageUri } = (entry ?? {}) as { name?: unknown; imageUri?: unknown };
    if (typeof name !== 'string' || !images.has(name) || images.get(name) === imageUri) return [];
    return [
      {
        file: 'imagedefinitions.json',
        line: 1,
        column: 1,
        path: [index, 'imageUri'],
        ruleId: 'RELEASE_IMAGE_MATCHES_TASKDEF',
        severity: 'error',
        message: `imagedefinitions.json[${index}].imageUri ${JSON.stringify(imageUri)} differs from the image of container "${name}" in taskdef.json (${JSON.stringify(images.get(name))}); the Deploy stage registers taskdef.json as it is, so both must name the same image`,
      },
    ];
  });
}
