import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILDSPEC_PATH, validateDocument } from '@webapp-color/deploy-specs';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';
import type { ContainerEngine } from '../engine.js';
import { defaultRegistry } from '../image.js';
import { LOCAL_ACCOUNT } from '../render.js';
import { runBuildspec, type BuildPhase, type BuildResult } from './codebuild.js';
import type { LocalRegistry } from './registry.js';
import { nodeRuntime } from './runtimes.js';
import { exportSource, type ExportedSource } from './source.js';
import { writeToolsConfig } from './tools.js';

/** One event of the Source or Build stage, in the summary's event list. */
export interface PipelineEvent {
  readonly stage: 'Source' | 'Build';
  /** `Source`, or the CodeBuild phase type (`INSTALL`, `PRE_BUILD`, …). */
  readonly name: string;
  readonly start: string;
  readonly end: string;
  readonly durationSeconds: number;
  /** CodePipeline's action status for the source; CodeBuild's phase status for a phase. */
  readonly result: string;
  readonly detail: string;
}

export interface PushStagesOptions {
  readonly repoRoot: string;
  readonly definition: DeliveryDefinition;
  readonly engine: ContainerEngine;
  readonly registry: LocalRegistry;
  readonly region: string;
  /**
   * The CodeBuild project's environment variables (the release variables
   * the CDK app sets, with local stand-ins for what only an account knows).
   */
  readonly projectVariables: Readonly<Record<string, string>>;
  /** This rehearsal's folder: the source, the build's state and the artifact go there. */
  readonly workDirectory: string;
  /** What lasts between rehearsals: the build's declared cache, the Node runtime. */
  readonly cacheDirectory: string;
  readonly progress: (line: string) => void;
  /** Each line the build prints. */
  readonly onBuildLine?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface PushStages {
  readonly source: ExportedSource;
  readonly build: BuildResult;
  /** The uploaded artifact: imageDetail.json, taskdef.json, appspec.yaml. */
  readonly artifactDirectory: string;
  readonly events: readonly PipelineEvent[];
  readonly buildSeconds: number;
}

/**
 * The host's network settings the build keeps (its packages/rehearse
 * turbo.json passes the same through to the tests).
 */
export const HOST_NETWORK_VARIABLES = [
  'NODE_EXTRA_CA_CERTS',
  'npm_config_registry',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
] as const;

/** The machine's default cache of rehearsals: shared by every checkout, as a CodeBuild project's cache is. */
export function defaultCacheDirectory(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'webapp-color-rehearse');
}

/** The stand-in programs, first on the build's PATH. */
async function writeTools(directory: string, configFile: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  // The compiled stand-ins, also when this module runs from its sources
  // (the tests): src/pipeline or dist/pipeline, two folders below the package.
  const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const tools = join(packageRoot, 'dist', 'pipeline', 'tools.js');
  if (!(await stat(tools).catch(() => undefined))) {
    throw new Error(
      `${tools} is missing: build the rehearsal first (pnpm --filter @webapp-color/rehearse build)`,
    );
  }
  for (const program of ['docker', 'aws']) {
    await writeFile(
      join(directory, program),
      `#!/bin/sh\nexec '${process.execPath}' '${tools}' '${configFile}' ${program} "$@"\n`,
      { mode: 0o755 },
    );
  }
}

/**
 * The variables of the build: CodeBuild's own, the pipeline's
 * (`SOURCE_COMMIT_ID`), the project's, and the two this machine's network
 * needs (its proxy's CA, its npm registry); nothing else of the caller's.
 *
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/build-env-ref-env-vars.html
 */
export function codeBuildEnvironment(input: {
  readonly definition: DeliveryDefinition;
  readonly region: string;
  readonly commitId: string;
  readonly sourceDirectory: string;
  readonly home: string;
  readonly toolsDirectory: string;
  readonly projectVariables: Readonly<Record<string, string>>;
  readonly host?: NodeJS.ProcessEnv;
}): { image: Record<string, string>; build: Record<string, string> } {
  const project = `${input.definition.app.name}-release`;
  const pipeline = input.definition.app.name;
  const uuid = randomUUID();
  const buildId = `${project}:${uuid}`;
  const host = input.host ?? process.env;
  // The image's own environment, which the buildspec's env.variables replace.
  const image = {
    PATH: `${input.toolsDirectory}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    HOME: input.home,
    // How this machine reaches the npm registry (here: through a proxy whose
    // CA only the host trusts); CodeBuild's network needs none of it.
    ...Object.fromEntries(
      HOST_NETWORK_VARIABLES.flatMap((name) => (host[name] ? [[name, host[name]]] : [])),
    ),
  };
  const build = {
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    CODEBUILD_BUILD_ID: buildId,
    CODEBUILD_BUILD_ARN: `arn:aws:codebuild:${input.region}:${LOCAL_ACCOUNT}:build/${buildId}`,
    CODEBUILD_BUILD_NUMBER: '1',
    CODEBUILD_BUILD_URL: `https://${input.region}.console.aws.amazon.com/codebuild/home?region=${input.region}#/builds/${encodeURIComponent(buildId)}/view/new`,
    CODEBUILD_LOG_PATH: uuid,
    CODEBUILD_BUILD_IMAGE: input.definition.build.codeBuildImage,
    CODEBUILD_CI: 'true',
    CODEBUILD_INITIATOR: `codepipeline/${pipeline}`,
    CODEBUILD_KMS_KEY_ID: `arn:aws:kms:${input.region}:${LOCAL_ACCOUNT}:alias/aws/s3`,
    CODEBUILD_RESOLVED_SOURCE_VERSION: input.commitId,
    // For a pipeline's build: the input artifact's S3 object, not a commit.
    CODEBUILD_SOURCE_VERSION: `arn:aws:s3:::codepipeline-${input.region}-${LOCAL_ACCOUNT}/${pipeline}/SourceArti/${uuid.slice(0, 7)}.zip`,
    CODEBUILD_SOURCE_REPO_URL: '',
    CODEBUILD_SRC_DIR: input.sourceDirectory,
    CODEBUILD_START_TIME: String(Date.now()),
    ...input.projectVariables,
    [input.definition.build.sourceCommitVariable]: input.commitId,
  };
  return { image, build };
}

function phaseDetail(phase: BuildPhase): string {
  return phase.context ?? '';
}

/**
 * Source and Build, as CodePipeline and CodeBuild run them before any
 * deployment: the commit exported as `CODE_ZIP` packs it, then the
 * committed buildspec (read with deploy-specs' model) run phase by phase in
 * a clean environment with CodeBuild's variables, the Node.js its
 * `runtime-versions` asks for, and stand-ins for `aws` and `docker`.
 */
export async function runPushStages(options: PushStagesOptions): Promise<PushStages> {
  const { definition, progress } = options;
  const events: PipelineEvent[] = [];
  const began = Date.now();
  const buildRoot = join(options.workDirectory, 'codebuild');
  await rm(buildRoot, { recursive: true, force: true });
  const sourceDirectory = join(buildRoot, 'src');
  const home = join(buildRoot, 'root');
  await mkdir(home, { recursive: true });

  const sourceStart = new Date();
  const source = await exportSource(options.repoRoot, sourceDirectory);
  const sourceDetail = `${
    source.dirty
      ? `working tree of ${source.headCommitId.slice(0, 12)} with uncommitted changes (dirty), as snapshot commit ${source.commitId.slice(0, 12)}`
      : `commit ${source.commitId.slice(0, 12)}`
  }: ${source.files} files, no .git${source.symlinksRemoved.length > 0 ? `, symbolic links left out as CodePipeline does: ${source.symlinksRemoved.join(', ')}` : ''}`;
  events.push({
    stage: 'Source',
    name: 'Source',
    start: sourceStart.toISOString(),
    end: new Date().toISOString(),
    durationSeconds: source.seconds,
    result: 'Succeeded',
    detail: sourceDetail,
  });
  progress(`Source     ${sourceDetail} (${source.seconds.toFixed(1)} s)`);

  const buildspecText = await readFile(join(sourceDirectory, BUILDSPEC_PATH), 'utf8').catch(() => {
    throw new Error(`the commit has no ${BUILDSPEC_PATH}: CodeBuild reads the buildspec from it`);
  });
  const checked = validateDocument('buildspec', BUILDSPEC_PATH, buildspecText);
  if (!checked.value || checked.errors.length > 0) {
    throw new Error(
      `${BUILDSPEC_PATH} does not validate:\n${checked.errors.map((f) => `  ${f.line}:${f.column} ${f.ruleId} ${f.message}`).join('\n')}`,
    );
  }

  const toolsDirectory = join(buildRoot, 'tools');
  const toolsConfig = join(buildRoot, 'tools.json');
  await writeToolsConfig(toolsConfig, {
    engine: options.engine,
    registry: { address: options.registry.address, standsInFor: options.registry.standsInFor },
    npmRegistry: await defaultRegistry(),
    loginPassword: 'rehearsal-placeholder-token',
  });
  await writeTools(toolsDirectory, toolsConfig);

  const environment = codeBuildEnvironment({
    definition,
    region: options.region,
    commitId: source.commitId,
    sourceDirectory,
    home,
    toolsDirectory,
    projectVariables: options.projectVariables,
  });
  const artifactDirectory = join(buildRoot, 'artifact');
  const buildStart = Date.now();
  const build = await runBuildspec({
    buildspec: checked.value,
    sourceDirectory,
    artifactDirectory,
    workDirectory: join(buildRoot, 'state'),
    imageEnvironment: environment.image,
    environment: environment.build,
    runtimes: {
      nodejs: (version) =>
        nodeRuntime(version, options.cacheDirectory, join(buildRoot, 'runtimes')),
    },
    cache: {
      directory: join(options.cacheDirectory, 'build-cache'),
      mapPath: (path) => {
        if (path === '/root' || path.startsWith('/root/')) return join(home, path.slice(6));
        if (isAbsolute(path)) {
          throw new Error(
            `cache path ${path}: the rehearsal maps only /root (the build's HOME) and paths in the source`,
          );
        }
        return join(sourceDirectory, path);
      },
    },
    onPhase: (event, type, phase) => {
      if (event === 'start') progress(`Build      ${type.padEnd(16)} IN_PROGRESS`);
      else if (phase) {
        progress(
          `Build      ${type.padEnd(16)} ${phase.phaseStatus.padEnd(11)} ${phase.durationSeconds.toFixed(1).padStart(6)} s${phase.context ? `  ${phase.context}` : ''}`,
        );
        events.push({
          stage: 'Build',
          name: type,
          start: phase.startTime,
          end: phase.endTime,
          durationSeconds: phase.durationSeconds,
          result: phase.phaseStatus,
          detail: phaseDetail(phase),
        });
      }
    },
    onCommand: (command) =>
      progress(`             $ ${command.length > 110 ? `${command.slice(0, 107)}…` : command}`),
    ...(options.onBuildLine ? { onLine: options.onBuildLine } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  // The build's container goes with the build: its log and artifact stay
  // (until the next rehearsal), its source, HOME and runtimes do not.
  await Promise.all(
    [sourceDirectory, home, join(buildRoot, 'runtimes')].map((folder) =>
      rm(folder, { recursive: true, force: true }),
    ),
  );
  progress(
    `Build      ${build.buildStatus} in ${((Date.now() - buildStart) / 1000).toFixed(1)} s (log: ${build.logFile})`,
  );
  return {
    source,
    build,
    artifactDirectory,
    events,
    buildSeconds: (Date.now() - began) / 1000,
  };
}
