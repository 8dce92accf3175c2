import type { DeliveryDefinition } from '../definition/types.js';
import type { Buildspec } from '../models/buildspec.js';
import { CODEBUILD_VARIABLES } from '../release/values.js';

/** Where the generated buildspec is committed, relative to the repository root. */
export const BUILDSPEC_PATH = 'buildspec.yaml';
/** The committed JSON Schema of buildspecs, relative to the repository root. */
export const BUILDSPEC_SCHEMA_PATH = 'packages/deploy-specs/schemas/buildspec.schema.json';
/** The CLI as the build runs it: built by `pnpm test` (turbo builds before testing). */
const CLI = 'node packages/deploy-specs/dist/cli.js';
/**
 * The BuildKit image of the buildx builder, from Docker's mirror on ECR
 * Public: `docker buildx create` would otherwise pull `moby/buildkit` from
 * Docker Hub, whose anonymous pull limits CodeBuild hits.
 */
const BUILDKIT_IMAGE = 'public.ecr.aws/vend/moby/buildkit:buildx-stable-1';

/**
 * The release build of an app, in order: install pnpm, frozen install, run
 * the tests, log in to ECR, build the image with the registry layer cache
 * and APP_VERSION, tag it with the commit id and push it, write
 * imageDetail.json, render taskdef.json and appspec.yaml. The artifact is
 * exactly those three files.
 *
 * Each phase aborts the build on failure. There is no post_build phase:
 * CodeBuild runs post_build after a failed build phase, and nothing of a
 * release may be written then.
 */
export function releaseBuildspec(definition: DeliveryDefinition): Buildspec {
  const { build, app, releaseEnvironment } = definition;
  const repository = `$${releaseEnvironment.imageRepositoryUri}`;
  const cacheRef = `type=registry,ref=${repository}:${build.cacheImageTag}`;
  const out = build.releaseDirectory;
  return {
    version: 0.2,
    env: {
      shell: 'bash',
    },
    phases: {
      install: {
        'on-failure': 'ABORT',
        'runtime-versions': { nodejs: build.nodejsRuntime },
        commands: [
          `npm install --global pnpm@${build.pnpmVersion}`,
          'pnpm install --frozen-lockfile',
        ],
      },
      pre_build: {
        'on-failure': 'ABORT',
        commands: [
          'pnpm test',
          // The full commit id: unambiguous, and what the source action resolved.
          `export COMMIT_ID="$${CODEBUILD_VARIABLES.commitId}"`,
          `export IMAGE_URI="${repository}:$COMMIT_ID"`,
          `aws ecr get-login-password --region "$${CODEBUILD_VARIABLES.region}" | docker login --username AWS --password-stdin "\${${releaseEnvironment.imageRepositoryUri}%%/*}"`,
        ],
      },
      build: {
        'on-failure': 'ABORT',
        commands: [
          `docker buildx create --name release --driver docker-container --driver-opt image=${BUILDKIT_IMAGE} --use`,
          // Tags are immutable: a retried build of a released commit reuses its image.
          `if docker buildx imagetools inspect "$IMAGE_URI" > /dev/null 2>&1; then echo "$IMAGE_URI exists, reusing it"; else docker buildx build --file ${app.dockerfile} --build-arg APP_VERSION="$COMMIT_ID" --cache-from "${cacheRef}" --cache-to "${cacheRef},mode=max,image-manifest=true,oci-mediatypes=true" --provenance=false --tag "$IMAGE_URI" --push .; fi`,
          `mkdir -p ${out}`,
          `printf '{"ImageURI":"%s"}\\n' "$IMAGE_URI" > ${out}/imageDetail.json`,
          `${CLI} render --out ${out}`,
        ],
      },
    },
    artifacts: {
      files: ['imageDetail.json', 'taskdef.json', 'appspec.yaml'],
      'base-directory': out,
      'discard-paths': 'yes',
    },
  };
}

/** The header of the generated buildspec.yaml. */
export function buildspecHeader(schemaPath: string = BUILDSPEC_SCHEMA_PATH): string[] {
  return [
    `yaml-language-server: $schema=./${schemaPath}`,
    '',
    'GENERATED FILE, do not edit. CodeBuild reads it from the commit it builds.',
    'Source: packages/deploy-specs/src/recipe/release-buildspec.ts and the',
    'delivery definition (packages/deploy-specs/src/definition/webapp-color.ts).',
    'Regenerate with: pnpm specs generate   (CI runs: pnpm specs check)',
  ];
}
