import { join } from 'node:path';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import { engineExec } from '../engine.js';
import type { TaskSetColor } from '../haproxy.js';
import { runPushStages, type PushStages } from '../pipeline/push.js';
import { pullImage, pushImage } from '../pipeline/pull.js';
import { REGISTRY_PROGRAM, startRegistry, type LocalRegistry } from '../pipeline/registry.js';
import { STAND_IN_PREFIX } from '../pipeline/tools.js';
import {
  localEcrRepository,
  readLocalRelease,
  RELEASE_FILES,
  renderLocalRelease,
  standInEnvironment,
  writeLocalRelease,
  type LocalRelease,
} from '../render.js';
import { releaseDirectory, type RehearsalContext } from './context.js';

/** Source and Build as the pipeline ran them, against ECR's stand-in. */
export interface Build {
  readonly registry: LocalRegistry;
  /** The image repository the release names (ECR's URI). */
  readonly repository: string;
  readonly push: PushStages;
  /** The image tag and APP_VERSION: the commit id (of a snapshot commit for a dirty tree). */
  readonly version: string;
}

/** Where a failed build failed, as its summary tells it. */
export interface BuildFailure {
  readonly reason: string;
  readonly failedPhase?: string;
  readonly failedCommand?: string;
}

/** Both parts' releases, ready to run: green from the build's artifact, blue the baseline or the kept one. */
export interface Releases {
  readonly releases: Readonly<Record<TaskSetColor, LocalRelease>>;
  readonly versions: Readonly<Record<TaskSetColor, string>>;
  /** The local image id each part runs. */
  readonly imageIds: Readonly<Record<TaskSetColor, string>>;
}

export type BuildOutcome =
  | (Build & { readonly built: false; readonly failure: BuildFailure })
  | (Build & { readonly built: true } & Releases);

/**
 * Step 1, build and render: Source and Build as CodePipeline and CodeBuild
 * run them, pushing to ECR's stand-in; then, if the build succeeded, the
 * releases of both parts.
 */
export async function buildAndRender(context: RehearsalContext): Promise<BuildOutcome> {
  const registry = await startRegistryStandIn(context);
  const build = await runBuild(context, registry);
  const failure = buildFailure(build.push);
  if (failure) return { ...build, built: false, failure };
  return { ...build, built: true, ...(await renderReleases(context, build)) };
}

/** ECR's stand-in: the build pushes there, the task sets pull from there. */
async function startRegistryStandIn(context: RehearsalContext): Promise<LocalRegistry> {
  const { infra, options, environment, cacheDirectory } = context;
  const repository = localEcrRepository(infra.region, options.definition.app.name);
  const registry = await startRegistry({
    directory: join(environment.directory, 'registry'),
    storage: join(cacheDirectory, 'registry'),
    standsInFor: repository.slice(0, repository.indexOf('/')),
    pidFile: environment.registryPidFile,
  });
  context.cleanups.add('registry', () => registry.close());
  options.progress(
    `Registry   ${registry.address} stands in for ${registry.standsInFor} (${REGISTRY_PROGRAM})`,
  );
  return registry;
}

async function runBuild(context: RehearsalContext, registry: LocalRegistry): Promise<Build> {
  const { infra, options, environment, cacheDirectory } = context;
  const { definition, progress } = options;
  const repository = localEcrRepository(infra.region, definition.app.name);
  const projectVariables = standInEnvironment(definition, {
    commitId: '',
    imageRepository: repository,
    region: infra.region,
    infrastructureValues: context.infrastructureValues,
  });
  delete projectVariables[definition.build.sourceCommitVariable];
  const push = await runPushStages({
    repoRoot: options.repoRoot,
    definition,
    engine: context.engine,
    registry,
    region: infra.region,
    projectVariables,
    // Beside the cache, not in the environment's folder: the build's log
    // outlives the rehearsal, until the next one.
    workDirectory: join(cacheDirectory, 'builds', environment.key),
    cacheDirectory,
    progress,
    // What runs as a local equivalent is said where it happens.
    onBuildLine: (line) => {
      if (line.startsWith(STAND_IN_PREFIX)) progress(`             ${line}`);
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { registry, repository, push, version: push.source.commitId };
}

/** Where the build failed, if it did. */
export function buildFailure(push: PushStages): BuildFailure | undefined {
  if (push.build.buildStatus === 'SUCCEEDED') return undefined;
  const failed = push.build.phases.find((phase) => phase.phaseStatus !== 'SUCCEEDED');
  return {
    reason: `the build failed in ${failed?.phaseType ?? 'an unknown phase'}${failed?.failedCommand ? ` at \`${failed.failedCommand}\`` : ''}${failed?.context ? `: ${failed.context}` : ''}; nothing was deployed (log: ${push.build.logFile})`,
    ...(failed ? { failedPhase: failed.phaseType } : {}),
    ...(failed?.failedCommand ? { failedCommand: failed.failedCommand } : {}),
  };
}

/** Green is the build's artifact, exactly as uploaded; blue is rendered beside it. */
async function renderReleases(context: RehearsalContext, build: Build): Promise<Releases> {
  const { push } = build;
  const missing = RELEASE_FILES.filter((name) => !push.build.artifactFiles.includes(name));
  if (missing.length > 0) {
    throw new Error(
      `the build's artifact has no ${missing.join(', ')} (it uploaded ${push.build.artifactFiles.join(', ') || 'nothing'}): CodeDeployToECS needs ${RELEASE_FILES.join(', ')}`,
    );
  }
  const green = await readLocalRelease(push.artifactDirectory);
  const greenDirectory = releaseDirectory(context, context.slots.green);
  await writeLocalRelease(greenDirectory, green);
  context.options.progress(
    `Artifact   ${push.build.artifactFiles.join(', ')}: the deployment's files (${greenDirectory})`,
  );
  const greenImageId = await pullRelease(context, build.registry, green.imageUri);
  const blue = await renderBlue(context, build, green);
  const blueImageId = context.kept
    ? (
        await engineExec(context.engine, [
          'image',
          'inspect',
          '--format',
          '{{.Id}}',
          blue.release.imageUri,
        ])
      ).stdout.trim()
    : greenImageId;
  return {
    releases: { blue: blue.release, green },
    versions: { blue: blue.version, green: build.version },
    imageIds: { blue: blueImageId, green: greenImageId },
  };
}

/**
 * Blue: the kept environment's live release, or (nothing running) the
 * release's image under a baseline version and another color, so a check
 * that compares versions can tell blue from green.
 */
async function renderBlue(
  context: RehearsalContext,
  build: Build,
  green: LocalRelease,
): Promise<{ release: LocalRelease; version: string }> {
  const { kept, slots, engine, infra, options } = context;
  const version = kept?.live.version ?? `${build.version}.baseline`;
  if (kept)
    return { release: await readLocalRelease(releaseDirectory(context, slots.blue)), version };
  const image = `${build.repository}:${version}`;
  await pushImage(engine, build.registry, green.imageUri, image);
  const release = await renderLocalRelease(withColor(options.definition, context.colors.blue), {
    repoRoot: options.repoRoot,
    commitId: build.push.source.headCommitId,
    version,
    imageRepository: build.repository,
    region: infra.region,
    infrastructureValues: context.infrastructureValues,
  });
  await writeLocalRelease(releaseDirectory(context, slots.blue), release);
  return { release, version };
}

/** Pulls a release's image from ECR's stand-in, as Fargate does at task start; its local name goes at the end. */
export async function pullRelease(
  context: RehearsalContext,
  registry: LocalRegistry,
  imageUri: string,
): Promise<string> {
  const id = await pullImage(context.engine, registry, imageUri);
  if (!context.localTags.includes(imageUri)) context.localTags.push(imageUri);
  context.options.progress(`Pull       ${imageUri} from ${registry.address}`);
  return id;
}

/** The definition with another color in its container environment, so the rendered task definition carries it. */
function withColor(definition: DeliveryDefinition, color: string): DeliveryDefinition {
  return {
    ...definition,
    container: {
      ...definition.container,
      environment: { ...definition.container.environment, APP_COLOR: color },
    },
  };
}
