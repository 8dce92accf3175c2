import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  checkDocument,
  CODEBUILD_VARIABLES,
  readReleaseValues,
  renderRelease,
  type AppSpec,
  type Finding,
  type RenderedFile,
  type ReleaseValues,
  type TaskDefinition,
} from '@webapp-color/deploy-specs';
import type { DeliveryDefinition } from '@webapp-color/deploy-specs/definition';

/** A release as the pipeline hands it to CodeDeploy, rendered for this machine. */
export interface LocalRelease {
  readonly files: readonly RenderedFile[];
  readonly taskDefinition: TaskDefinition;
  readonly appSpec: AppSpec;
  readonly imageUri: string;
}

/** A release just rendered: with the values it was rendered from and the validation's warnings. */
export interface RenderedLocalRelease extends LocalRelease {
  readonly values: ReleaseValues;
  readonly warnings: readonly Finding[];
}

/** The rendered release does not validate: the buildspec's render step would stop here too. */
export class ReleaseRenderError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(
      `the release does not validate:\n${findings
        .map((f) => `  ${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`)
        .join('\n')}`,
    );
    this.name = 'ReleaseRenderError';
  }
}

/** The local account id stand-in values use (no AWS account is involved). */
export const LOCAL_ACCOUNT = '000000000000';

/**
 * The image repository as the release build names it in ECR
 * (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`): the local image is
 * tagged with it, so the rendered release, the task definitions the hooks
 * read and the stand-in's repository all name the image as AWS would.
 */
export function localEcrRepository(region: string, name: string): string {
  return `${LOCAL_ACCOUNT}.dkr.ecr.${region}.amazonaws.com/${name}`;
}

export interface LocalReleaseInput {
  readonly repoRoot: string;
  /** The commit id the release is built from. */
  readonly commitId: string;
  /** The image tag and APP_VERSION (the commit id, maybe with a marker). */
  readonly version: string;
  /** Where the built image lives (`<repository>:<version>` is its reference). */
  readonly imageRepository: string;
  readonly region: string;
  /**
   * Release variables the synthesized infrastructure already fixes (the
   * CodeBuild project's literal values, e.g. the task family and the hook
   * function names), by variable name; they win over local stand-ins.
   */
  readonly infrastructureValues?: Readonly<Record<string, string>>;
}

/** A local stand-in for one release variable the account would provide. */
function standInValue(field: string, app: string, imageRepository: string): string {
  if (field === 'imageRepositoryUri') return imageRepository;
  if (field === 'logGroupName') return `/ecs/${app}`;
  if (field.endsWith('RoleArn')) {
    return `arn:aws:iam::${LOCAL_ACCOUNT}:role/${app}-${field.replace(/RoleArn$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  }
  return `${app}-${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * The CodeBuild environment the render step reads: the infrastructure's
 * own values where synthesis fixes them, local stand-ins for what only an
 * account knows, under the definition's own variable names. It is read
 * back through deploy-specs' `readReleaseValues`, so a name or format the
 * build would refuse is refused here too.
 */
export function standInEnvironment(
  definition: DeliveryDefinition,
  input: Omit<LocalReleaseInput, 'repoRoot' | 'version'>,
): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [field, name] of Object.entries(definition.releaseEnvironment) as [string, string][]) {
    environment[name] =
      input.infrastructureValues?.[name] ??
      standInValue(field, definition.app.name, input.imageRepository);
  }
  environment[CODEBUILD_VARIABLES.region] = input.region;
  environment[definition.build.sourceCommitVariable] = input.commitId;
  return environment;
}

/**
 * Renders taskdef.json, appspec.yaml and imageDetail.json with deploy-specs'
 * release renderer and validates them with the Dockerfile, as the
 * buildspec's render step does; then reads them back as CodeDeploy would.
 */
export async function renderLocalRelease(
  definition: DeliveryDefinition,
  input: LocalReleaseInput,
): Promise<RenderedLocalRelease> {
  const committed = readReleaseValues(definition, standInEnvironment(definition, input));
  // The render step's values, with the version the image carries (a marked
  // version for a tree with uncommitted changes).
  const values: ReleaseValues = { ...committed, commitId: input.version };
  const dockerfileText = await readFile(join(input.repoRoot, definition.app.dockerfile), 'utf8');
  const rendered = renderRelease(definition, values, {
    dockerfile: { file: definition.app.dockerfile, text: dockerfileText },
    imageDetail: true,
  });
  if (rendered.errors.length > 0) throw new ReleaseRenderError(rendered.errors);
  const release = readBack(rendered.files);
  return { ...release, values, warnings: rendered.warnings };
}

/** Reads release files back as CodeDeploy would: taskdef.json, appspec.yaml, imageDetail.json. */
function readBack(files: readonly RenderedFile[]): LocalRelease {
  const file = (name: string) => {
    const found = files.find((candidate) => candidate.name === name);
    if (!found) throw new Error(`the release has no ${name}`);
    return found.content;
  };
  const taskDefinition = checkDocument('taskdef', 'taskdef.json', file('taskdef.json')).result
    .value;
  const appSpec = checkDocument('appspec', 'appspec.yaml', file('appspec.yaml')).result.value;
  const imageDetail = JSON.parse(file('imageDetail.json')) as { ImageURI?: unknown };
  if (!taskDefinition || !appSpec || typeof imageDetail.ImageURI !== 'string') {
    throw new Error(
      'the release does not read back (taskdef.json, appspec.yaml, imageDetail.json)',
    );
  }
  return { files, taskDefinition, appSpec, imageUri: imageDetail.ImageURI };
}

/** The files CodeDeployToECS reads from the build's artifact. */
export const RELEASE_FILES = ['imageDetail.json', 'taskdef.json', 'appspec.yaml'] as const;

export async function writeLocalRelease(directory: string, release: LocalRelease): Promise<void> {
  await mkdir(directory, { recursive: true });
  for (const file of release.files) await writeFile(join(directory, file.name), file.content);
}

/** The release a kept environment runs, from the files the rehearsal wrote. */
export async function readLocalRelease(directory: string): Promise<LocalRelease> {
  const files = await Promise.all(
    RELEASE_FILES.map(async (name) => ({
      name,
      content: await readFile(join(directory, name), 'utf8'),
    })),
  );
  return readBack(files);
}
