import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { DeliveryDefinition } from './definition/types.js';
import { webappColor } from './definition/webapp-color.js';
import { generatedFiles as linterFiles } from 'ecs-release-lint/generated';
import { SCHEMA_FILES } from 'ecs-release-lint/schemas';
import { LINTER_PATH, PACKAGE_PATH, REPOSITORY_ROOT } from './private/paths.js';
import { unifiedDiff } from './private/diff.js';
import { buildspecHeader, BUILDSPEC_PATH, releaseBuildspec } from './recipe/release-buildspec.js';
import { buildspecYaml } from 'ecs-release-lint/render';
import { renderEcsRelease, renderRelease } from './release/render.js';
import { EXAMPLE_ECS_RELEASE_VALUES, EXAMPLE_RELEASE_VALUES } from './release/values.js';

/** A committed file whose content the package generates. */
export interface GeneratedFile {
  /** Path relative to the repository root. */
  readonly path: string;
  readonly content: string;
}

/** Where the example release is committed, relative to the repository root. */
export const EXAMPLE_RELEASE_PATH = `${PACKAGE_PATH}/examples/release`;
/** Where the example release of an `ecs` environment is committed. */
export const EXAMPLE_ECS_RELEASE_PATH = `${PACKAGE_PATH}/examples/release-ecs`;

/**
 * Every generated file that is committed: the buildspec CodeBuild reads,
 * the linter's JSON Schemas and rules reference, and the example release of
 * each controller (`codedeploy`: imageDetail.json, taskdef.json,
 * appspec.yaml; `ecs`: taskdef.json, imagedefinitions.json), each validated
 * alone and with its cross-file checks.
 */
export function generatedFiles(definition: DeliveryDefinition = webappColor): GeneratedFile[] {
  const example = renderRelease(definition, EXAMPLE_RELEASE_VALUES, {
    imageDetail: true,
    appSpecSchemaPath: posix.relative(
      EXAMPLE_RELEASE_PATH,
      `${LINTER_PATH}/${SCHEMA_FILES.appspec}`,
    ),
  });
  const ecsExample = renderEcsRelease(definition, EXAMPLE_ECS_RELEASE_VALUES);
  for (const [name, render] of [
    ['codedeploy', example],
    ['ecs', ecsExample],
  ] as const) {
    if (render.errors.length > 0) {
      throw new Error(
        `the example ${name} release is invalid:\n${render.errors.map((error) => `${error.file}:${error.line}:${error.column} ${error.ruleId} ${error.message}`).join('\n')}`,
      );
    }
  }
  return [
    {
      path: BUILDSPEC_PATH,
      content: buildspecYaml(releaseBuildspec(definition), buildspecHeader()),
    },
    ...linterFiles(join(REPOSITORY_ROOT, LINTER_PATH)).map((file) => ({
      path: `${LINTER_PATH}/${file.path}`,
      content: file.content,
    })),
    ...example.files.map((file) => ({
      path: `${EXAMPLE_RELEASE_PATH}/${file.name}`,
      content: file.content,
    })),
    ...ecsExample.files.map((file) => ({
      path: `${EXAMPLE_ECS_RELEASE_PATH}/${file.name}`,
      content: file.content,
    })),
  ];
}

/** A generated file whose committed copy differs, with the diff. */
export interface StaleFile {
  readonly path: string;
  readonly diff: string;
}

/** Compares the generated files with the copies under a repository root. */
export async function staleFiles(
  root: string,
  files: readonly GeneratedFile[] = generatedFiles(),
): Promise<StaleFile[]> {
  const stale: StaleFile[] = [];
  for (const file of files) {
    let committed: string | undefined;
    try {
      committed = await readFile(join(root, file.path), 'utf8');
    } catch {
      committed = undefined;
    }
    if (committed !== file.content)
      stale.push({ path: file.path, diff: unifiedDiff(file.path, file.content, committed) });
  }
  return stale;
}
