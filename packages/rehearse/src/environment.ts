import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from './clock.js';
import { engineExec, removeContainersArgs, type ContainerEngine } from './engine.js';
import { readPid, type ProxyTarget, type TaskSetColor } from './haproxy.js';
import type { LocalListener } from './hooks.js';
import { REGISTRY_PROGRAM } from './pipeline/registry.js';
import { REHEARSAL_LABEL } from './task-run.js';

/**
 * Where one checkout's rehearsal keeps its HAProxy configuration, pid file,
 * admin socket and rendered release: one place per repository, so `down`
 * finds what `rehearse` started (and only that).
 */
export interface RehearsalEnvironment {
  /** The value of the rehearsal label on every container. */
  readonly key: string;
  readonly directory: string;
  readonly haproxyConfig: string;
  readonly haproxyPidFile: string;
  readonly adminSocket: string;
  readonly stateFile: string;
  /** The local registry's pid, so a rehearsal that was killed leaves nothing `down` cannot stop. */
  readonly registryPidFile: string;
}

export function rehearsalEnvironment(repoRoot: string): RehearsalEnvironment {
  const key = `webapp-color-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 10)}`;
  const directory = join(tmpdir(), `rehearse-${key}`);
  return {
    key,
    directory,
    haproxyConfig: join(directory, 'haproxy.cfg'),
    haproxyPidFile: join(directory, 'haproxy.pid'),
    adminSocket: join(directory, 'admin.sock'),
    stateFile: join(directory, 'state.json'),
    registryPidFile: join(directory, 'registry.pid'),
  };
}

/** What a kept environment serves: for `down`, and for the next release on it. */
export interface KeptState {
  readonly productionUrl: string;
  readonly testUrl: string;
  readonly engine: string;
  /** The listeners and targets HAProxy runs with. */
  readonly listeners: { readonly production: LocalListener; readonly test: LocalListener };
  readonly targets: readonly ProxyTarget[];
  /** The slot whose tasks serve production. */
  readonly liveSlot: TaskSetColor;
  /** The release those tasks run. */
  readonly live: { readonly version: string; readonly color: string };
}

export async function writeState(
  environment: RehearsalEnvironment,
  state: KeptState,
): Promise<void> {
  await mkdir(environment.directory, { recursive: true });
  await writeFile(environment.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

export async function readState(environment: RehearsalEnvironment): Promise<KeptState | undefined> {
  try {
    return JSON.parse(await readFile(environment.stateFile, 'utf8')) as KeptState;
  } catch {
    return undefined;
  }
}

/** The HAProxy this environment started, if it still runs (checked by its command line, not just the pid). */
export async function runningHaproxy(
  environment: RehearsalEnvironment,
): Promise<number | undefined> {
  const pid = await readPid(environment.haproxyPidFile).catch(() => undefined);
  if (pid === undefined) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes('haproxy') && cmdline.includes(environment.haproxyConfig)
    ? pid
    : undefined;
}

/** The process a pid file names, if it still runs that program. */
async function runningProcess(pidFile: string, program: string): Promise<number | undefined> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.includes(program) && (await alive(pid)) ? pid : undefined;
}

/** Containers carrying this environment's label (running ones only, or all). */
export async function rehearsalContainers(
  engine: ContainerEngine,
  environment: RehearsalEnvironment,
  which: 'all' | 'running' = 'all',
): Promise<string[]> {
  const listed = await engineExec(engine, [
    'ps',
    ...(which === 'all' ? ['--all'] : []),
    '--filter',
    `label=${REHEARSAL_LABEL}=${environment.key}`,
    '--format',
    '{{.Names}}',
  ]);
  return listed.stdout
    .split('\n')
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Whether a process still runs (a zombie waiting for its parent to reap it does not). */
async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  if (stat === '') return false;
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/**
 * Removes everything the environment started: its containers (by label) and
 * its HAProxy (by the pid file it wrote), then its directory. Returns what
 * it removed.
 */
export async function tearDown(
  engine: ContainerEngine | undefined,
  environment: RehearsalEnvironment,
): Promise<string[]> {
  const removed: string[] = [];
  if (engine) {
    const containers = await rehearsalContainers(engine, environment);
    if (containers.length > 0) {
      await engineExec(engine, removeContainersArgs(engine, containers));
      removed.push(...containers.map((name) => `container ${name}`));
    }
  }
  const pid = await runningHaproxy(environment);
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    await waitUntil(async () => !(await alive(pid)), {
      waitingFor: `haproxy (pid ${pid}) to exit`,
      timeoutMs: 5_000,
      intervalMs: 100,
    }).catch(() => undefined);
    if (await alive(pid)) process.kill(pid, 'SIGKILL');
    removed.push(`haproxy (pid ${pid})`);
  }
  const registry = await runningProcess(environment.registryPidFile, REGISTRY_PROGRAM);
  if (registry !== undefined) {
    process.kill(registry, 'SIGTERM');
    removed.push(`${REGISTRY_PROGRAM} (pid ${registry})`);
  }
  await rm(environment.directory, { recursive: true, force: true });
  return removed;
}
