import { exec, type ExecResult } from './private/exec.js';

export type EngineName = 'podman' | 'docker';
export const ENGINE_NAMES: readonly EngineName[] = ['podman', 'docker'];

/** A container engine that answers, with the flags this machine needs. */
export interface ContainerEngine {
  readonly name: EngineName;
  readonly version: string;
  /** Flags before the subcommand (podman 4.3's `build` takes the runtime only here). */
  readonly globalFlags: readonly string[];
  /** Extra flags of `build`. */
  readonly buildFlags: readonly string[];
  /** Extra flags of every `run`. */
  readonly runFlags: readonly string[];
  /** Whether a base image must exist locally (podman builds with `--pull=never`). */
  readonly localBaseImage: boolean;
}

/** A tool the rehearsal needs is not installed or does not answer (exit code 2). */
export class MissingToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingToolError';
  }
}

export type Probe = (command: string, args: readonly string[]) => Promise<ExecResult>;

const INSTALL_HINT =
  'install podman (Debian: apt-get install podman buildah runc catatonit) or Docker Engine';

/**
 * Finds the container engine: podman or docker, whichever answers (podman
 * first; `prefer` picks one). A `docker` command whose daemon does not
 * answer counts as missing, with the reason.
 */
export async function detectEngine(
  options: { prefer?: EngineName; probe?: Probe; hardNofile?: string } = {},
): Promise<ContainerEngine> {
  const probe = options.probe ?? ((command, args) => exec(command, args, { timeoutMs: 15_000 }));
  const order = options.prefer ? [options.prefer] : ENGINE_NAMES;
  const reasons: string[] = [];
  for (const name of order) {
    const found = name === 'podman' ? await tryPodman(probe, options) : await tryDocker(probe);
    if (typeof found !== 'string') return found;
    reasons.push(`${name}: ${found}`);
  }
  throw new MissingToolError(
    `no container engine answers (${reasons.join('; ')}): ${options.prefer ? `install ${options.prefer} or drop --engine` : INSTALL_HINT}`,
  );
}

function firstLine(result: ExecResult): string {
  return (result.stderr.trim() || result.stdout.trim()).split('\n')[0] ?? '';
}

async function tryPodman(
  probe: Probe,
  options: { hardNofile?: string },
): Promise<ContainerEngine | string> {
  const version = await probe('podman', ['version', '--format', '{{.Client.Version}}']);
  if (version.code === 127) return 'not installed';
  if (version.code !== 0) return `does not answer (${firstLine(version)})`;
  // DESIGN.md "Machine facts": crun fails here; runc with the host's hard
  // nofile limit runs. podman 4.3 `build` has no --runtime: the global flag does it.
  const runc = (await probe('runc', ['--version'])).code === 0;
  const hardNofile = options.hardNofile ?? (await probe('sh', ['-c', 'ulimit -Hn'])).stdout.trim();
  const nofile = /^\d+$/.test(hardNofile) ? hardNofile : '1048576';
  return {
    name: 'podman',
    version: version.stdout.trim(),
    globalFlags: runc ? ['--runtime', 'runc'] : [],
    // The docker format: the OCI format drops HEALTHCHECK. The host's network,
    // so the install steps reach the registry the host's npm reaches.
    buildFlags: [
      '--format',
      'docker',
      '--layers',
      '--network',
      'host',
      '--pull=never',
      ...(runc ? [] : ['--isolation', 'chroot']),
    ],
    runFlags: [
      '--ulimit',
      `nofile=${nofile}:${nofile}`,
      '--ulimit',
      'nproc=4096:4096',
      // Like ECS: no proxy variables from the host, no podman-made tmpfs on a read-only root.
      '--http-proxy=false',
    ],
    localBaseImage: true,
  };
}

async function tryDocker(probe: Probe): Promise<ContainerEngine | string> {
  const info = await probe('docker', ['version', '--format', '{{.Server.Version}}']);
  if (info.code === 127) return 'not installed';
  if (info.code !== 0 || info.stdout.trim() === '') {
    return `installed, but its daemon does not answer (${firstLine(info)})`;
  }
  return {
    name: 'docker',
    version: info.stdout.trim(),
    globalFlags: [],
    buildFlags: ['--network', 'host'],
    runFlags: [],
    localBaseImage: false,
  };
}

/** Runs one engine command: `<engine> <global flags> <args>`. */
export function engineExec(
  engine: ContainerEngine,
  args: readonly string[],
  options: Parameters<typeof exec>[2] = {},
): Promise<ExecResult> {
  return exec(engine.name, [...engine.globalFlags, ...args], options);
}

/** `rm` of containers at once, without a stop grace period (docker's `rm` has no `--time`). */
export function removeContainersArgs(engine: ContainerEngine, names: readonly string[]): string[] {
  return ['rm', '--force', ...(engine.name === 'podman' ? ['--time', '0'] : []), ...names];
}
