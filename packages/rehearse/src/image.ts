import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineExec, MissingToolError, type ContainerEngine } from './engine.js';
import { exec, tail } from './private/exec.js';

export interface BuildImageOptions {
  readonly engine: ContainerEngine;
  /** The build context: the repository root, as in the release build. */
  readonly context: string;
  /** The Dockerfile, relative to the context (the definition's `app.dockerfile`). */
  readonly dockerfile: string;
  /** The image reference to tag, e.g. `localhost/webapp-color:<version>`. */
  readonly tag: string;
  /** `--build-arg`s; the release build passes APP_VERSION (the commit id). */
  readonly buildArgs: Readonly<Record<string, string>>;
  /** `--platform`, as the release build asks for the task's CPU architecture. */
  readonly platform?: string;
  /** Registry for the install steps (the NPM_REGISTRY build argument). @default `npm config get registry` */
  readonly npmRegistry?: string;
  /** Each line of the build's output. */
  readonly onLine?: (line: string) => void;
}

export interface BuiltImage {
  readonly tag: string;
  readonly id: string;
  readonly baseImage: string;
  readonly seconds: number;
}

/** The build failed; the message ends with the last lines of its output. */
export class ImageBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageBuildError';
  }
}

/**
 * The images a Dockerfile's FROM lines name that are not its own stages,
 * in order (a `FROM x AS y` makes `y` a stage).
 */
export function externalBaseImages(dockerfile: string): string[] {
  const stages = new Set<string>();
  const images: string[] = [];
  for (const line of dockerfile.split(/\r?\n/)) {
    const words = line.trim().split(/\s+/);
    if (words[0]?.toUpperCase() !== 'FROM') continue;
    const image = words.slice(1).find((word) => !word.startsWith('--'));
    if (image && !stages.has(image.toLowerCase()) && !images.includes(image)) images.push(image);
    const as = words.findIndex((word) => word.toUpperCase() === 'AS');
    if (as > 0 && words[as + 1]) stages.add(words[as + 1]!.toLowerCase());
  }
  return images;
}

/**
 * Makes the base image locally when podman lacks it: this project's CI
 * reaches no image registry, so this package's scripts/make-base-image.sh
 * builds a stand-in under the exact reference (a base pulled beforehand is used as it is).
 */
export async function ensureBaseImage(
  engine: ContainerEngine,
  repoRoot: string,
  reference: string,
  onLine?: (line: string) => void,
): Promise<void> {
  if (!engine.localBaseImage) return;
  if ((await engineExec(engine, ['image', 'exists', reference])).code === 0) return;
  const script = fileURLToPath(new URL('../scripts/make-base-image.sh', import.meta.url));
  const made = await exec('bash', [script, reference], { cwd: repoRoot, onLine });
  if (made.code !== 0) {
    throw new ImageBuildError(
      `the base image ${reference} is missing and scripts/make-base-image.sh could not make it (exit ${made.code}):\n${tail(made.stderr || made.stdout)}`,
    );
  }
}

/** The npm registry this machine's npm uses: the image's install steps reach the same. */
export async function defaultRegistry(): Promise<string> {
  const result = await exec('npm', ['config', 'get', 'registry']);
  const registry = result.stdout.trim();
  return result.code === 0 && /^https?:\/\//.test(registry)
    ? registry
    : 'https://registry.npmjs.org/';
}

/**
 * Builds an image with its real Dockerfile, the repository root as context,
 * the way the release build does (`--build-arg APP_VERSION=<commit>`, tagged
 * with it). The one build function of the container suite and of the
 * rehearsal's stand-in for `docker buildx build`.
 */
export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  const { engine, context, tag } = options;
  const appVersion = options.buildArgs.APP_VERSION;
  if (appVersion !== undefined && !/^[A-Za-z0-9._+-]+$/.test(appVersion)) {
    throw new ImageBuildError(
      `APP_VERSION must match [A-Za-z0-9._+-]+ (the Dockerfile refuses anything else), got ${JSON.stringify(appVersion)}`,
    );
  }
  const started = Date.now();
  const dockerfilePath = join(context, options.dockerfile);
  const dockerfile = await readFile(dockerfilePath, 'utf8').catch((error: Error) => {
    throw new ImageBuildError(`cannot read the Dockerfile ${dockerfilePath}: ${error.message}`);
  });
  const bases = externalBaseImages(dockerfile);
  if (bases.length !== 1) {
    throw new ImageBuildError(
      `expected one external FROM image in ${options.dockerfile}, found ${bases.length > 0 ? bases.join(', ') : 'none'}`,
    );
  }
  const baseImage = bases[0]!;
  await ensureBaseImage(engine, context, baseImage, options.onLine);
  const registry = options.npmRegistry ?? (await defaultRegistry());
  const buildArgs = { NPM_REGISTRY: registry, ...options.buildArgs };
  const built = await engineExec(
    engine,
    [
      'build',
      ...engine.buildFlags,
      ...(options.platform ? ['--platform', options.platform] : []),
      ...Object.entries(buildArgs).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]),
      '--file',
      dockerfilePath,
      '--tag',
      tag,
      context,
    ],
    { cwd: context, onLine: options.onLine },
  );
  if (built.code === 127)
    throw new MissingToolError(`${engine.name} did not start: ${built.stderr}`);
  if (built.code !== 0) {
    throw new ImageBuildError(
      `${engine.name} build of ${options.dockerfile} failed (exit ${built.code}):\n${tail(built.stdout + built.stderr)}`,
    );
  }
  const id = await engineExec(engine, ['image', 'inspect', '--format', '{{.Id}}', tag]);
  return {
    tag,
    id: id.stdout.trim(),
    baseImage,
    seconds: (Date.now() - started) / 1000,
  };
}
