#!/usr/bin/env node
/**
 * Stand-ins for the two programs of the release build that cannot run on
 * this machine as CodeBuild runs them: `aws` (no AWS endpoint is reachable)
 * and `docker` (no Docker engine; BuildKit's docker-container driver and
 * registry cache need one). Each command the committed buildspec uses is
 * answered with its local equivalent, which it names on stderr; anything
 * else fails, naming what is not stood in. The rehearsal puts them first on
 * the build's PATH; nothing else of the buildspec changes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { engineExec, type ContainerEngine } from '../engine.js';
import { buildImage, ImageBuildError } from '../image.js';
import { pushImage } from './pull.js';
import { registryReference, type RegistryHandle } from './registry.js';

export interface ToolsConfig {
  readonly engine: ContainerEngine;
  /** The local registry that stands in for ECR. */
  readonly registry: RegistryHandle;
  /** The npm registry the image's install steps reach. */
  readonly npmRegistry: string;
  /** The password `aws ecr get-login-password` prints (no one checks it). */
  readonly loginPassword: string;
}

/** Thrown for a command the stand-in does not know: exit code 2 with the reason. */
class NotStoodIn extends Error {}

/** How the stand-ins' notes begin, so the rehearsal can show them. */
export const STAND_IN_PREFIX = '[rehearse stand-in]';

function note(line: string): void {
  process.stderr.write(`${STAND_IN_PREFIX} ${line}\n`);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `docker buildx build` flags the buildspec uses, and the positional context. */
export interface BuildxBuild {
  readonly file: string;
  readonly platform?: string;
  readonly buildArgs: Record<string, string>;
  readonly tags: string[];
  readonly push: boolean;
  readonly cacheFrom: string[];
  readonly cacheTo: string[];
  readonly context: string;
}

export function parseBuildxBuild(args: readonly string[]): BuildxBuild {
  const parsed: BuildxBuild = {
    file: 'Dockerfile',
    buildArgs: {},
    tags: [],
    push: false,
    cacheFrom: [],
    cacheTo: [],
    context: '',
  };
  const result = parsed as { -readonly [K in keyof BuildxBuild]: BuildxBuild[K] };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg];
    const value = () => inline ?? args[++i] ?? '';
    switch (flag) {
      case '--file':
      case '-f':
        result.file = value();
        break;
      case '--platform':
        result.platform = value();
        break;
      case '--build-arg': {
        const [name, ...rest] = value().split('=');
        result.buildArgs[name!] = rest.join('=');
        break;
      }
      case '--tag':
      case '-t':
        result.tags.push(value());
        break;
      case '--push':
        result.push = true;
        break;
      case '--cache-from':
        result.cacheFrom.push(value());
        break;
      case '--cache-to':
        result.cacheTo.push(value());
        break;
      case '--provenance':
      case '--sbom':
        if (inline === undefined && args[i + 1] && !args[i + 1]!.startsWith('-')) i += 1;
        break;
      default:
        if (arg.startsWith('-')) throw new NotStoodIn(`docker buildx build ${arg}`);
        result.context = arg;
    }
  }
  if (!result.context) throw new NotStoodIn('docker buildx build without a context');
  return parsed;
}

/** Whether the registry has a manifest for the reference (`docker buildx imagetools inspect`). */
async function manifestExists(config: ToolsConfig, reference: string): Promise<boolean> {
  const { repository, tag } = registryReference(config.registry, reference);
  const answer = await fetch(
    `http://${config.registry.address}/v2/${repository}/manifests/${encodeURIComponent(tag)}`,
    {
      method: 'HEAD',
      headers: {
        accept: [
          'application/vnd.docker.distribution.manifest.v2+json',
          'application/vnd.oci.image.manifest.v1+json',
          'application/vnd.oci.image.index.v1+json',
          'application/vnd.docker.distribution.manifest.list.v2+json',
        ].join(', '),
      },
    },
  );
  return answer.status === 200;
}

async function docker(config: ToolsConfig, args: readonly string[]): Promise<number> {
  const [command, sub, ...rest] = args;
  if (command === 'login') {
    await readStdin();
    note(
      `docker login: the local registry ${config.registry.address} needs no login (ECR's token is not checked here)`,
    );
    console.log('Login Succeeded');
    return 0;
  }
  if (command !== 'buildx') throw new NotStoodIn(`docker ${args.join(' ')}`);
  if (sub === 'create') {
    note(
      `docker buildx create: no BuildKit builder (it needs a Docker engine); ${config.engine.name} builds instead, with its local layer cache`,
    );
    console.log('release');
    return 0;
  }
  if (sub === 'imagetools' && rest[0] === 'inspect' && rest[1]) {
    return (await manifestExists(config, rest[1])) ? 0 : 1;
  }
  if (sub === 'build') {
    const build = parseBuildxBuild(rest);
    if (build.cacheFrom.length + build.cacheTo.length > 0) {
      note(
        `--cache-from/--cache-to type=registry: BuildKit's registry cache is not stood in; ${config.engine.name}'s local layer cache plays its part`,
      );
    }
    if (build.tags.length === 0) throw new NotStoodIn('docker buildx build without --tag');
    const built = await buildImage({
      engine: config.engine,
      context: build.context,
      dockerfile: build.file,
      tag: build.tags[0]!,
      buildArgs: build.buildArgs,
      ...(build.platform ? { platform: build.platform } : {}),
      npmRegistry: config.npmRegistry,
      onLine: (line) => console.log(line),
    });
    note(`built ${built.tag} with ${config.engine.name} in ${built.seconds.toFixed(1)} s`);
    // Only the registry keeps the tags, pushed or not: the task sets pull
    // the image from there, as Fargate pulls from ECR.
    try {
      if (build.push) {
        for (const tag of build.tags) {
          await pushImage(config.engine, config.registry, built.tag, tag);
          note(`pushed ${tag} to the local registry ${config.registry.address}`);
        }
      }
    } finally {
      await engineExec(
        config.engine,
        config.engine.name === 'podman' ? ['untag', built.id, built.tag] : ['rmi', built.tag],
      );
    }
    return 0;
  }
  throw new NotStoodIn(`docker buildx ${[sub, ...rest].join(' ')}`);
}

function aws(config: ToolsConfig, args: readonly string[]): number {
  if (args[0] === 'ecr' && args[1] === 'get-login-password') {
    note('aws ecr get-login-password: no AWS endpoint here; a placeholder token');
    console.log(config.loginPassword);
    return 0;
  }
  throw new NotStoodIn(`aws ${args.join(' ')}`);
}

/** `node tools.js <config.json> docker|aws <args…>` */
export async function main(argv: readonly string[]): Promise<number> {
  const [configFile, program, ...args] = argv;
  const config = JSON.parse(await readFile(configFile!, 'utf8')) as ToolsConfig;
  try {
    if (program === 'docker') return await docker(config, args);
    if (program === 'aws') return aws(config, args);
    throw new NotStoodIn(String(program));
  } catch (error) {
    if (error instanceof NotStoodIn) {
      console.error(
        `[rehearse stand-in] ${error.message}: not stood in on this machine (the rehearsal runs the commands the committed buildspec uses; see packages/rehearse/README.md)`,
      );
      return 2;
    }
    if (error instanceof ImageBuildError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

/** Writes the config the stand-ins read. */
export async function writeToolsConfig(file: string, config: ToolsConfig): Promise<void> {
  await writeFile(file, JSON.stringify(config));
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`[rehearse stand-in] ${error.message}`);
      process.exit(1);
    },
  );
}
