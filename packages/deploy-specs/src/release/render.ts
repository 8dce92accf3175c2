import type { DeliveryDefinition } from '../definition/types.js';
import type { Finding } from 'ecs-release-lint/validate';
import { appSpecYaml, taskDefinitionJson } from 'ecs-release-lint/render';
import { formatJson } from 'ecs-release-lint/render';
import { checkRelease } from 'ecs-release-lint/validate';
import { checkDocument } from 'ecs-release-lint/validate';
import { imageDetail, releaseAppSpec, releaseTaskDefinition } from './documents.js';
import type { ReleaseValues } from './values.js';

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
