import type { DeliveryDefinition } from '../definition/types.js';
import type { Buildspec } from 'ecs-release-lint/models/buildspec';
import {
  CODEBUILD_VARIABLES,
  COMMIT_ID_PATTERN,
  DEPLOYMENT_CONTROLLER_VARIABLE,
  IMAGE_DIGEST_VARIABLE,
} from '../release/values.js';
import { PROMOTED_RELEASES_VARIABLE } from '../release/promotion.js';

/** Where the generated buildspec is committed, relative to the repository root. */
export const BUILDSPEC_PATH = 'buildspec.yaml';
/** The committed JSON Schema of buildspecs, relative to the repository root. */
export const BUILDSPEC_SCHEMA_PATH = 'packages/ecs-release-lint/schemas/buildspec.schema.json';
/** The CLI as the build runs it: built by `pnpm test` (turbo builds before testing). */
const CLI = 'node packages/deploy-specs/dist/cli.js';
/**
 * The BuildKit image of the buildx builder, from Docker's mirror on ECR
 * Public: `docker buildx create` would otherwise pull `moby/buildkit` from
 * Docker Hub, whose anonymous pull limits CodeBuild hits.
 */
const BUILDKIT_IMAGE = 'public.ecr.aws/vend/moby/buildkit:buildx-stable-1';
/**
 * pnpm's store, named rather than left to pnpm's guess: CodeBuild links a
 * cached folder in from another volume, and pnpm would otherwise pick a
 * store on the source's disk that no cache path names (pnpm's own CI
 * guide sets `store-dir` to `.pnpm-store` and caches that).
 */
const PNPM_STORE = '.pnpm-store';
/**
 * The paths the release build declares as its cache (CodeBuild's CUSTOM
 * local cache mode keeps them between builds on the same host).
 */
export const RELEASE_CACHE_PATHS = [`${PNPM_STORE}/**/*`, '.turbo/cache/**/*'] as const;
/**
 * The shipping program of an `ecs` release (`@webapp-color/ship`, bundled
 * into one file by its build, which the release tests run): the build copies
 * it into the artifact, so the Deploy stage runs it with `node` and needs no
 * install.
 */
export const SHIP_BUNDLE = { path: 'packages/ship/dist/ship.mjs', name: 'ship.mjs' } as const;
/** What each controller's Deploy stage reads from the build output. */
export const RELEASE_FILES = {
  codedeploy: ['imageDetail.json', 'taskdef.json', 'appspec.yaml'],
  ecs: ['taskdef.json', 'imagedefinitions.json', SHIP_BUNDLE.name],
} as const;

/** The image platform of each Fargate CPU architecture (runtimePlatform.cpuArchitecture). */
const IMAGE_PLATFORM = { X86_64: 'linux/amd64', ARM64: 'linux/arm64' } as const;

/**
 * The release build of an app, in order: install pnpm, frozen install, run
 * the release tests (`build.testScript`), log in to ECR, build the image with the registry layer cache
 * and APP_VERSION, tag it with the commit id and push it, read the pushed
 * image's digest, render the release files of the controller the project's
 * DEPLOYMENT_CONTROLLER names (`codedeploy`: imageDetail.json, taskdef.json,
 * appspec.yaml; `ecs`: taskdef.json with the image by digest,
 * imagedefinitions.json, and the shipping program). The artifact lists the
 * union; CodeBuild skips a listed file that the build did not write (it
 * fails only when none matches).
 *
 * Each phase aborts the build on failure. There is no post_build phase:
 * CodeBuild runs post_build after a failed build phase, and nothing of a
 * release may be written then.
 */
export function releaseBuildspec(definition: DeliveryDefinition): Buildspec {
  const { build, app, releaseEnvironment, task } = definition;
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
          `pnpm install --frozen-lockfile --store-dir ${PNPM_STORE}`,
        ],
      },
      pre_build: {
        'on-failure': 'ABORT',
        commands: [
          `pnpm run ${build.testScript}`,
          // The commit the source action fetched, as the pipeline passes it to
          // the build action; CodeBuild's own resolved version only as fallback
          // (for CodePipeline builds it "may not always be available").
          `export COMMIT_ID="\${${build.sourceCommitVariable}:-$${CODEBUILD_VARIABLES.commitId}}"`,
          // Checked before anything is pushed: an empty or non-commit value
          // would otherwise tag and push an image the render step then refuses.
          `[[ "$COMMIT_ID" =~ ${COMMIT_ID_PATTERN.source} ]] || { echo "COMMIT_ID='$COMMIT_ID' is not a git commit id: the pipeline's build action must set ${build.sourceCommitVariable} to the source action's CommitId" >&2; exit 1; }`,
          `export IMAGE_URI="${repository}:$COMMIT_ID"`,
          `aws ecr get-login-password --region "$${CODEBUILD_VARIABLES.region}" | docker login --username AWS --password-stdin "\${${releaseEnvironment.imageRepositoryUri}%%/*}"`,
        ],
      },
      build: {
        'on-failure': 'ABORT',
        commands: [
          `docker buildx create --name release --driver docker-container --driver-opt image=${BUILDKIT_IMAGE} --use`,
          // Tags are immutable: a retried build of a released commit reuses its image.
          `if docker buildx imagetools inspect "$IMAGE_URI" > /dev/null 2>&1; then echo "$IMAGE_URI exists, reusing it"; else docker buildx build --file ${app.dockerfile} --platform ${IMAGE_PLATFORM[task.cpuArchitecture]} --build-arg APP_VERSION="$COMMIT_ID" --cache-from "${cacheRef}" --cache-to "${cacheRef},mode=max,image-manifest=true,oci-mediatypes=true" --provenance=false --tag "$IMAGE_URI" --push .; fi`,
          // The digest of what was pushed (or reused), from the registry: an
          // `ecs` release names the image by it. `{{json …}}`: a plain template
          // is not honoured by every buildx version.
          `export ${IMAGE_DIGEST_VARIABLE}="$(docker buildx imagetools inspect "$IMAGE_URI" --format '{{json .Manifest.Digest}}' | tr -d '"')"`,
          // The release files of the project's controller, validated together
          // and written atomically, from the same variables.
          `${CLI} render --out ${out}`,
          // An `ecs` release: the render wrote imagedefinitions.json beside the
          // taskdef; the Deploy stage runs the shipping program from the artifact.
          `if [ "$${DEPLOYMENT_CONTROLLER_VARIABLE}" = ecs ]; then test -s ${out}/imagedefinitions.json && cp ${SHIP_BUNDLE.path} ${out}/${SHIP_BUNDLE.name}; fi`,
          // Promotion (staging → production): the same image, copied by
          // manifest into each promoted environment's repository (so the same
          // digest; a retried build finds the tag and checks its digest), and
          // each environment's release files in <out>/<environment>/, the image
          // by that digest. Nothing is rebuilt.
          `if [ -n "$${PROMOTED_RELEASES_VARIABLE}" ]; then repositories="$(${CLI} promoted-repositories)" || exit 1; while read -r region repository environment; do aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "\${repository%%/*}" || exit 1; docker buildx imagetools inspect "$repository:$COMMIT_ID" > /dev/null 2>&1 || docker buildx imagetools create --tag "$repository:$COMMIT_ID" "${repository}@$${IMAGE_DIGEST_VARIABLE}" || exit 1; pushed="$(docker buildx imagetools inspect "$repository:$COMMIT_ID" --format '{{json .Manifest.Digest}}' | tr -d '"')"; [ "$pushed" = "$${IMAGE_DIGEST_VARIABLE}" ] || { echo "$environment: $repository:$COMMIT_ID is $pushed, not the image built ($${IMAGE_DIGEST_VARIABLE})" >&2; exit 1; }; done <<< "$repositories"; fi`,
          `if [ -n "$${PROMOTED_RELEASES_VARIABLE}" ]; then ${CLI} render --promoted --out ${out} && for folder in ${out}/*/; do if [ -s "$folder/imagedefinitions.json" ]; then cp ${SHIP_BUNDLE.path} "$folder/${SHIP_BUNDLE.name}"; fi; done; fi`,
        ],
      },
    },
    // The first environment's files at the artifact's root, each promoted
    // environment's in its folder. CodeBuild skips a listed file the build
    // did not write (it fails only when none matches).
    artifacts: {
      files: [...new Set([...RELEASE_FILES.codedeploy, ...RELEASE_FILES.ecs])].flatMap((file) => [
        file,
        `*/${file}`,
      ]),
      'base-directory': out,
      'discard-paths': 'no',
    },
    // What the build may reuse, declared: pnpm's store and Turborepo's
    // local cache, whose entries are keyed by the hash of every input of a task.
    cache: { paths: [...RELEASE_CACHE_PATHS] },
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
