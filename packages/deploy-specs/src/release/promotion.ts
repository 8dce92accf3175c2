import type { DeliveryDefinition, ReleaseEnvironmentNames } from '../definition/types.js';
import { formatJson } from 'ecs-release-lint/render';
import { IMAGE_PLACEHOLDER, imageDetail } from './documents.js';
import { renderEcsRelease, renderRelease, type ReleaseRender } from './render.js';
import {
  CODEBUILD_VARIABLES,
  IMAGE_DIGEST_VARIABLE,
  RELEASE_CONTROLLERS,
  ReleaseEnvironmentError,
  readEcsReleaseValues,
  readReleaseValues,
  type ReleaseController,
} from './values.js';

/**
 * The environments a pipeline promotes its build to after its own (staging
 * → production): the CDK app sets this variable on the release build as a
 * JSON array, one entry per environment, with the values that environment's
 * release names (from the fixed names of infra/config/names.ts, never a
 * CloudFormation reference into another stack or account). The build pushes
 * the image it built to each entry's repository (the same manifest, so the
 * same digest) and renders each entry's release files into
 * `<release directory>/<environment>/`.
 */
export const PROMOTED_RELEASES_VARIABLE = 'PROMOTED_RELEASES';

/** One environment a build promotes to. */
export interface PromotedRelease {
  /** The environment's name: the folder of its release files in the artifact. */
  readonly environment: string;
  /** Its controller: which release files it reads (each environment keeps its own). */
  readonly controller: ReleaseController;
  /** The region its service and repository are in. */
  readonly region: string;
  /** The release values (by the definition's releaseEnvironment fields). */
  readonly values: { readonly [Field in keyof ReleaseEnvironmentNames]?: string };
}

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,11}$/;

/**
 * Reads PROMOTED_RELEASES (unset or empty: none). Every problem is named in
 * one error: the entry, the field, the value and what is allowed.
 */
export function readPromotedReleases(
  definition: DeliveryDefinition,
  environment: Readonly<Record<string, string | undefined>>,
): PromotedRelease[] {
  const text = environment[PROMOTED_RELEASES_VARIABLE]?.trim() ?? '';
  if (text === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ReleaseEnvironmentError(
      [],
      [`${PROMOTED_RELEASES_VARIABLE} is not JSON (expected an array of promoted environments)`],
    );
  }
  if (!Array.isArray(parsed)) {
    throw new ReleaseEnvironmentError([], [`${PROMOTED_RELEASES_VARIABLE} must be a JSON array`]);
  }
  const problems: string[] = [];
  const releases = parsed.flatMap((entry: unknown, index): PromotedRelease[] => {
    const at = `${PROMOTED_RELEASES_VARIABLE}[${index}]`;
    const {
      environment: name,
      controller,
      region,
      values,
    } = (entry ?? {}) as Record<string, unknown>;
    const before = problems.length;
    if (typeof name !== 'string' || !ENVIRONMENT_NAME.test(name))
      problems.push(
        `${at}.environment=${JSON.stringify(name)} is not an environment name (lowercase letters, digits and '-', at most 12)`,
      );
    if (!(RELEASE_CONTROLLERS as readonly unknown[]).includes(controller))
      problems.push(
        `${at}.controller=${JSON.stringify(controller)} is not one of ${RELEASE_CONTROLLERS.join(', ')}`,
      );
    if (typeof region !== 'string')
      problems.push(`${at}.region=${JSON.stringify(region)} is not a string`);
    if (typeof values !== 'object' || values === null)
      problems.push(`${at}.values=${JSON.stringify(values)} is not an object`);
    if (problems.length > before) return [];
    return [
      {
        environment: name as string,
        controller: controller as ReleaseController,
        region: region as string,
        values: values as PromotedRelease['values'],
      },
    ];
  });
  const names = releases.map((release) => release.environment);
  const twice = names.filter((name, index) => names.indexOf(name) !== index);
  if (twice.length > 0)
    problems.push(`${PROMOTED_RELEASES_VARIABLE} names ${twice.join(', ')} more than once`);
  if (problems.length > 0) throw new ReleaseEnvironmentError([], problems);
  return releases;
}

/**
 * Renders the release files of one promoted environment, in memory, each
 * named `<environment>/<file>`: its own controller's files, naming the image
 * by the digest the build pushed (`<its repository>@sha256:…`), taskdef,
 * imagedefinitions.json or imageDetail.json alike. `build` gives what the
 * build knows: the commit and the pushed digest (the one image every
 * environment runs). Values are checked as the root render checks them.
 */
export function renderPromotedRelease(
  definition: DeliveryDefinition,
  release: PromotedRelease,
  build: { readonly commitId: string; readonly imageDigest: string },
  options: { readonly dockerfile?: { readonly file: string; readonly text: string } } = {},
): ReleaseRender {
  // The same readers and checks as the root render, fed from the entry.
  const names = definition.releaseEnvironment;
  const env: Record<string, string | undefined> = {
    [CODEBUILD_VARIABLES.region]: release.region,
    [definition.build.sourceCommitVariable]: build.commitId,
    [IMAGE_DIGEST_VARIABLE]: build.imageDigest,
  };
  for (const [field, name] of Object.entries(names) as [keyof ReleaseEnvironmentNames, string][])
    env[name] = release.values[field];
  let rendered: ReleaseRender;
  try {
    if (release.controller === 'ecs') {
      rendered = renderEcsRelease(definition, readEcsReleaseValues(definition, env), options);
    } else {
      const values = readReleaseValues(definition, env);
      const base = renderRelease(definition, values, options);
      const image = `${values.imageRepositoryUri}@${build.imageDigest}`;
      // CodeDeployToECS reads imageDetail.json only at the artifact's root
      // (the first environment's), so a promoted environment's taskdef.json
      // names its image itself, by digest, and its Deploy action takes no
      // image input; imageDetail.json is kept beside it for people and tools.
      rendered = {
        ...base,
        files: [
          {
            name: 'imageDetail.json',
            content: formatJson({
              ...imageDetail(values),
              ImageURI: image,
            }),
          },
          ...base.files.map((file) =>
            file.name === 'taskdef.json'
              ? { ...file, content: file.content.split(IMAGE_PLACEHOLDER).join(image) }
              : file,
          ),
        ],
      };
    }
  } catch (error) {
    if (error instanceof ReleaseEnvironmentError) {
      throw new ReleaseEnvironmentError(
        error.missing.map((name) => `${release.environment}: ${name}`),
        error.invalid.map((problem) => `${release.environment}: ${problem}`),
      );
    }
    throw error;
  }
  return {
    ...rendered,
    files: rendered.files.map((file) => ({
      name: `${release.environment}/${file.name}`,
      content: file.content,
    })),
  };
}
