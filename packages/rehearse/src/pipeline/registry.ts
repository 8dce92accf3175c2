import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitUntil, WaitTimeoutError } from '../clock.js';
import { MissingToolError } from '../engine.js';
import { freePort } from '../private/ports.js';

/**
 * The CNCF distribution registry (Debian's `docker-registry`) on loopback,
 * standing in for ECR: the build pushes the image there under the
 * repository URI it is given, and the task sets pull it from there.
 */
export interface RegistryHandle {
  /** `127.0.0.1:<port>` */
  readonly address: string;
  /** The registry host the release names (ECR's `<account>.dkr.ecr.<region>.amazonaws.com`). */
  readonly standsInFor: string;
}

export interface LocalRegistry extends RegistryHandle {
  /** Manifest requests the registry answered, as `METHOD repository:reference status`. */
  manifestRequests(): readonly string[];
  close(): Promise<void>;
}

export const REGISTRY_PROGRAM = 'docker-registry';

/**
 * A reference under the ECR host the release names, mapped onto the local
 * registry (`<ecr host>/<repo>:<tag>` → `127.0.0.1:<port>/<repo>:<tag>`).
 */
export function registryReference(
  registry: RegistryHandle,
  reference: string,
): { repository: string; tag: string; remote: string } {
  const slash = reference.indexOf('/');
  const host = reference.slice(0, slash);
  if (slash < 0 || (host !== registry.standsInFor && host !== registry.address)) {
    throw new Error(
      `${reference}: the local registry stands in for ${registry.standsInFor} only (the repository URI the build is given)`,
    );
  }
  const path = reference.slice(slash + 1);
  const colon = path.lastIndexOf(':');
  const repository = colon > 0 ? path.slice(0, colon) : path;
  const tag = colon > 0 ? path.slice(colon + 1) : 'latest';
  return { repository, tag, remote: `${registry.address}/${repository}:${tag}` };
}

/** Starts the registry on a free loopback port with its storage in `storage`; resolves when it answers. */
export async function startRegistry(options: {
  readonly directory: string;
  readonly storage: string;
  readonly standsInFor: string;
  /** Where its pid is written, for `pnpm rehearse down`. */
  readonly pidFile?: string;
}): Promise<LocalRegistry> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  await mkdir(options.directory, { recursive: true });
  await mkdir(options.storage, { recursive: true });
  const config = join(options.directory, 'registry.yml');
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: false',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${JSON.stringify(options.storage)}`,
      '  delete:',
      '    enabled: true',
      'http:',
      `  addr: ${address}`,
      '',
    ].join('\n'),
  );
  const requests: string[] = [];
  const child: ChildProcess = spawn(REGISTRY_PROGRAM, ['serve', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A program that cannot start (ENOENT) says so as an event, a moment after spawn().
  let spawnFailure: Error | undefined;
  child.once('error', (error) => (spawnFailure = error));
  if (options.pidFile && child.pid) await writeFile(options.pidFile, `${child.pid}\n`);
  let output = '';
  const read = (chunk: string) => {
    output = (output + chunk).slice(-4000);
    // Apache-style access log: "GET /v2/<repo>/manifests/<ref> HTTP/1.1" 200
    for (const match of chunk.matchAll(
      /"(GET|HEAD|PUT) \/v2\/(.+?)\/manifests\/(\S+) HTTP\/[\d.]+" (\d{3})/g,
    )) {
      requests.push(`${match[1]} ${match[2]}:${decodeURIComponent(match[3]!)} ${match[4]}`);
    }
  };
  child.stdout?.setEncoding('utf8').on('data', read);
  child.stderr?.setEncoding('utf8').on('data', read);
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(config, { force: true });
    if (options.pidFile) await rm(options.pidFile, { force: true });
  };
  await waitUntil(
    async () => {
      if (spawnFailure) {
        throw new MissingToolError(
          `${REGISTRY_PROGRAM} did not start (${spawnFailure.message}): install it (Debian: apt-get install docker-registry)`,
        );
      }
      if (child.exitCode !== null) {
        throw new Error(`${REGISTRY_PROGRAM} exited (${child.exitCode}): ${output.trim()}`);
      }
      const answer = await fetch(`http://${address}/v2/`).catch(() => undefined);
      return answer?.status === 200;
    },
    {
      waitingFor: `${REGISTRY_PROGRAM} to answer on ${address}`,
      timeoutMs: 15_000,
      intervalMs: 100,
    },
  ).catch(async (error: unknown) => {
    if (!(error instanceof WaitTimeoutError)) throw error;
    await close();
    throw new Error(`${REGISTRY_PROGRAM} did not answer on ${address} within 15 s: ${output}`);
  });
  return {
    address,
    standsInFor: options.standsInFor,
    manifestRequests: () => [...requests],
    close,
  };
}
