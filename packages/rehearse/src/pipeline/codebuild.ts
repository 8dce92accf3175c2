import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import {
  copyFile,
  cp,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { Buildspec, BuildspecInstallPhase } from '@webapp-color/deploy-specs';

/**
 * A buildspec run phase by phase as CodeBuild runs it: the phase names and
 * order, one shell whose exported variables and working directory carry
 * from command to command and phase to phase (buildspec 0.2), `finally`,
 * `on-failure`, the phase transitions after a failure, `env.variables`
 * (below the project's variables), `env.shell`, the declared cache and the
 * artifact with `base-directory` and `discard-paths`.
 *
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html
 * @see https://docs.aws.amazon.com/codebuild/latest/userguide/view-build-details-phases.html
 */

/** The phases a buildspec names, by their CodeBuild (BatchGetBuilds `phaseType`) names. */
export const BUILDSPEC_PHASES = [
  ['install', 'INSTALL'],
  ['pre_build', 'PRE_BUILD'],
  ['build', 'BUILD'],
  ['post_build', 'POST_BUILD'],
] as const;

export type BuildPhaseType =
  'DOWNLOAD_SOURCE' | 'INSTALL' | 'PRE_BUILD' | 'BUILD' | 'POST_BUILD' | 'UPLOAD_ARTIFACTS';

/**
 * One phase as BatchGetBuilds reports it (`phaseType`, `phaseStatus`,
 * times, and its context's `statusCode` and `message`).
 *
 * @see https://docs.aws.amazon.com/codebuild/latest/APIReference/API_BuildPhase.html
 */
export interface BuildPhase {
  readonly phaseType: BuildPhaseType;
  readonly phaseStatus: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
  /** The context's status code: COMMAND_EXECUTION_ERROR, CLIENT_ERROR, BUILD_STOPPED. */
  readonly statusCode?: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly durationSeconds: number;
  /** Why it failed, as the phase context's message says. */
  readonly context?: string;
  /** The command that failed. */
  readonly failedCommand?: string;
}

export interface BuildResult {
  readonly buildStatus: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
  readonly phases: readonly BuildPhase[];
  /** The artifact's files (names inside the artifact). */
  readonly artifactFiles: readonly string[];
  /** `env.exported-variables` and their values at the end of the build. */
  readonly exportedVariables: Readonly<Record<string, string>>;
  readonly logFile: string;
}

/** Installs a runtime of `runtime-versions`; returns the folder to put first on PATH. */
export type RuntimeInstaller = (version: string) => Promise<string>;

export interface RunBuildspecOptions {
  readonly buildspec: Buildspec;
  /** CODEBUILD_SRC_DIR: the source, as the Source action handed it. */
  readonly sourceDirectory: string;
  /** Where the artifact's files are uploaded to. */
  readonly artifactDirectory: string;
  /** Where the build keeps its shell state and log. */
  readonly workDirectory: string;
  /**
   * The build image's own environment (PATH, HOME, …): below the
   * buildspec's `env.variables`, which replace it.
   */
  readonly imageEnvironment: Readonly<Record<string, string>>;
  /**
   * CodeBuild's variables, the project's and the pipeline's: above the
   * buildspec's. Nothing of the caller's environment leaks in.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** The runtimes `runtime-versions` may select, by name. */
  readonly runtimes: Readonly<Record<string, RuntimeInstaller>>;
  /**
   * Where the declared cache lives between builds, and how a declared path
   * maps to this machine (CodeBuild's `/root` is the build's HOME here).
   */
  readonly cache?: { readonly directory: string; readonly mapPath: (path: string) => string };
  readonly onPhase?: (event: 'start' | 'end', phase: BuildPhaseType, result?: BuildPhase) => void;
  readonly onCommand?: (command: string) => void;
  /** Every line the build prints. */
  readonly onLine?: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** A shell CodeBuild accepts on Linux, as a program. */
function shellProgram(shell: string | undefined): string {
  if (shell === undefined || shell === '/bin/sh' || shell === 'sh') return '/bin/sh';
  if (shell === 'bash') return '/bin/bash';
  throw new Error(
    `env.shell ${JSON.stringify(shell)}: only bash and /bin/sh run on a Linux build image`,
  );
}

/** `export NAME='value'` lines any POSIX shell reads back. */
function exportLines(environment: Readonly<Record<string, string>>): string {
  return Object.entries(environment)
    .map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`)
    .join('\n');
}

/** The values of exported variables, read by the build's own shell. */
async function readVariables(
  shell: string,
  stateFile: string,
  names: readonly string[],
): Promise<Record<string, string>> {
  if (names.length === 0) return {};
  const script = `. '${stateFile}'\n${names.map((name) => `printf '%s\\0' "\${${name}-}"`).join('\n')}\n`;
  const output = await new Promise<string>((resolve) => {
    const child = spawn(shell, ['-c', script], { env: {}, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('close', () => resolve(out));
    child.on('error', () => resolve(''));
  });
  const values = output.split('\0');
  return Object.fromEntries(names.map((name, index) => [name, values[index] ?? '']));
}

class BuildShell {
  private readonly stateFile: string;
  private readonly cwdFile: string;
  private readonly scriptFile: string;
  private counter = 0;

  constructor(
    readonly program: string,
    private readonly workDirectory: string,
    private readonly log: WriteStream,
    private readonly onLine?: (line: string) => void,
  ) {
    this.stateFile = join(workDirectory, 'shell-state');
    this.cwdFile = join(workDirectory, 'shell-cwd');
    this.scriptFile = join(workDirectory, 'command.sh');
  }

  async init(environment: Readonly<Record<string, string>>, cwd: string): Promise<void> {
    await writeFile(this.stateFile, `${exportLines(environment)}\n`);
    await writeFile(this.cwdFile, cwd);
  }

  async prependPath(directory: string): Promise<void> {
    await writeFile(
      this.stateFile,
      `${await readFile(this.stateFile, 'utf8')}\nexport PATH='${directory}':"$PATH"\n`,
    );
  }

  async setVariable(name: string, value: string): Promise<void> {
    await writeFile(
      this.stateFile,
      `${await readFile(this.stateFile, 'utf8')}\nexport ${name}='${value.replace(/'/g, `'\\''`)}'\n`,
    );
  }

  get state(): string {
    return this.stateFile;
  }

  /**
   * Runs one command in a fresh shell that starts from the previous
   * command's exported variables and directory, and saves them on exit
   * (also on `exit`): buildspec 0.2's "all commands in one shell instance".
   */
  async run(command: string, signal?: AbortSignal): Promise<{ code: number; output: string }> {
    this.counter += 1;
    const cwd = (await readFile(this.cwdFile, 'utf8')).trim();
    await writeFile(
      this.scriptFile,
      [
        `. '${this.stateFile}'`,
        `cd '${cwd.replace(/'/g, `'\\''`)}' || exit 1`,
        `trap '__codebuild_rc=$?; export -p > '"'"'${this.stateFile}'"'"'; pwd > '"'"'${this.cwdFile}'"'"'; exit $__codebuild_rc' EXIT`,
        command,
        '',
      ].join('\n'),
    );
    this.log.write(`[Container] Running command ${command}\n`);
    if (signal?.aborted) return { code: STOPPED_EXIT, output: '' };
    return new Promise((resolve) => {
      const child = spawn(this.program, [this.scriptFile], {
        env: {},
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      // The command runs in its own process group (a build's children, such
      // as pnpm's, must all stop with it): on an abort, or when this process
      // exits before it, the whole group gets SIGTERM.
      const abort = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGTERM');
        } catch {
          // The group has already gone.
        }
      };
      signal?.addEventListener('abort', abort, { once: true });
      process.once('exit', abort);
      let output = '';
      let pending = '';
      const feed = (chunk: string) => {
        this.log.write(chunk);
        output = (output + chunk).slice(-20_000);
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) this.onLine?.(line);
      };
      child.stdout.setEncoding('utf8').on('data', feed);
      child.stderr.setEncoding('utf8').on('data', feed);
      child.on('error', (error) => resolve({ code: 127, output: error.message }));
      child.on('close', (code, killed) => {
        signal?.removeEventListener('abort', abort);
        process.removeListener('exit', abort);
        if (pending) this.onLine?.(pending);
        resolve({ code: signal?.aborted ? STOPPED_EXIT : (code ?? (killed ? 130 : 1)), output });
      });
    });
  }
}

/** What a command stopped by the build's stop reports. */
const STOPPED_EXIT = -1;

interface PhaseOutcome {
  readonly failed: boolean;
  readonly stopped?: boolean;
  readonly statusCode?: string;
  readonly failedCommand?: string;
  readonly context?: string;
}

/** RETRY, RETRY-<count>, RETRY-<regex>, RETRY-<count>-<regex>: CodeBuild retries a phase 3 times by default. */
function retryPolicy(onFailure: string | undefined): { attempts: number; pattern?: RegExp } {
  const match = /^RETRY(?:-(\d+))?(?:-(.+))?$/.exec(onFailure ?? '');
  if (!match) return { attempts: 1 };
  return {
    attempts: 1 + (match[1] ? Number(match[1]) : 3),
    ...(match[2] ? { pattern: new RegExp(match[2]) } : {}),
  };
}

/** Minimal glob of artifact and cache paths: `*` within a name, `**` across folders. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(root, prefix), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(root, path)));
    else files.push(path);
  }
  return files;
}

/** The folder a cache path pattern covers: everything before its first wildcard. */
export function cacheRoot(pattern: string): string {
  const parts = pattern.split('/');
  const fixed = parts.slice(
    0,
    parts.findIndex((part) => /[*?[]/.test(part)),
  );
  return fixed.join('/') || pattern;
}

/** Moves a folder; across file systems (rename's EXDEV) by copying. */
async function move(from: string, to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(from, to, { recursive: true, verbatimSymlinks: true });
    await rm(from, { recursive: true, force: true });
  }
}

function nowIso(): string {
  return new Date().toISOString();
}

/** Runs a buildspec as CodeBuild does (see the module comment). */
export async function runBuildspec(options: RunBuildspecOptions): Promise<BuildResult> {
  const { buildspec, sourceDirectory, workDirectory } = options;
  await mkdir(workDirectory, { recursive: true });
  const logFile = join(workDirectory, 'build.log');
  const log = createWriteStream(logFile);
  const phases: BuildPhase[] = [];
  const shell = new BuildShell(
    shellProgram(buildspec.env?.shell),
    workDirectory,
    log,
    options.onLine,
  );
  // Precedence: the image's environment, replaced by the buildspec's
  // env.variables, replaced by the project's and the pipeline's.
  const buildspecVariables = Object.fromEntries(
    Object.entries(buildspec.env?.variables ?? {}).map(([name, value]) => [name, String(value)]),
  );
  for (const key of ['parameter-store', 'secrets-manager'] as const) {
    if (buildspec.env?.[key]) {
      throw new Error(
        `env.${key}: the rehearsal has no stand-in for it; set the variables in the project instead`,
      );
    }
  }
  const reserved = Object.keys(buildspecVariables).filter((name) => name.startsWith('CODEBUILD_'));
  if (reserved.length > 0) {
    throw new Error(
      `env.variables ${reserved.join(', ')}: names starting with CODEBUILD_ are reserved for CodeBuild`,
    );
  }
  await shell.init(
    {
      ...options.imageEnvironment,
      ...buildspecVariables,
      ...options.environment,
      CODEBUILD_BUILD_SUCCEEDING: '1',
    },
    sourceDirectory,
  );

  const cachePaths = (buildspec.cache?.paths ?? []).map((pattern) => ({
    pattern,
    folder: options.cache ? options.cache.mapPath(cacheRoot(pattern)) : '',
    stored: options.cache
      ? join(options.cache.directory, cacheRoot(pattern).replace(/[^A-Za-z0-9._-]/g, '_'))
      : '',
  }));
  // CodeBuild's local cache links each cached folder into the build before
  // the source is downloaded, and what the build writes there stays,
  // whatever its outcome. Here the folders move in before the first phase
  // and back after the build, whatever its outcome (also when stopped).
  // https://docs.aws.amazon.com/codebuild/latest/userguide/build-caching.html
  if (options.cache) {
    for (const path of cachePaths) {
      if (await stat(path.stored).catch(() => undefined)) await move(path.stored, path.folder);
    }
  }
  const saveCache = async () => {
    if (!options.cache) return;
    for (const path of cachePaths) {
      if (await stat(path.folder).catch(() => undefined)) await move(path.folder, path.stored);
    }
  };

  const record = (phase: BuildPhase) => {
    phases.push(phase);
    log.write(
      `[Container] Phase complete: ${phase.phaseType} State: ${phase.phaseStatus}${phase.context ? `\n[Container] Phase context status code: ${phase.statusCode ?? ''} Message: ${phase.context}` : ''}\n`,
    );
    options.onPhase?.('end', phase.phaseType, phase);
  };

  async function runPhase(
    type: BuildPhaseType,
    phase: BuildspecInstallPhase,
    install: boolean,
  ): Promise<PhaseOutcome> {
    const policy = retryPolicy(phase['on-failure']);
    let outcome: PhaseOutcome = { failed: false };
    for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
      outcome = await runPhaseOnce(type, phase, install);
      if (!outcome.failed || outcome.stopped) break;
      if (policy.pattern && !policy.pattern.test(outcome.context ?? '')) break;
    }
    return outcome;
  }

  async function runPhaseOnce(
    type: BuildPhaseType,
    phase: BuildspecInstallPhase,
    install: boolean,
  ): Promise<PhaseOutcome> {
    if (phase['run-as']) {
      return {
        failed: true,
        context: `run-as ${phase['run-as']}: the rehearsal runs every phase as the current user`,
      };
    }
    let outcome: PhaseOutcome = { failed: false };
    if (install) {
      for (const [runtime, version] of Object.entries(phase['runtime-versions'] ?? {})) {
        const installer = options.runtimes[runtime];
        if (!installer) {
          return {
            failed: true,
            context: `runtime-versions.${runtime}: the rehearsal installs only ${Object.keys(options.runtimes).join(', ')}`,
          };
        }
        log.write(`[Container] Selecting '${runtime}' runtime version '${version}'\n`);
        try {
          await shell.prependPath(await installer(String(version)));
        } catch (error) {
          return {
            failed: true,
            context: `runtime-versions.${runtime}: ${String(version)}: ${(error as Error).message}`,
          };
        }
      }
    }
    const failure = (command: string, code: number): PhaseOutcome =>
      code === STOPPED_EXIT
        ? {
            failed: true,
            stopped: true,
            failedCommand: command,
            statusCode: 'BUILD_STOPPED',
            context: 'Build was stopped',
          }
        : {
            failed: true,
            failedCommand: command,
            statusCode: 'COMMAND_EXECUTION_ERROR',
            context: `Error while executing command: ${command}. Reason: exit status ${code}`,
          };
    for (const command of phase.commands ?? []) {
      options.onCommand?.(command);
      const result = await shell.run(command, options.signal);
      if (result.code !== 0) {
        outcome = failure(command, result.code);
        // The build is failing from here on, `finally` included.
        await shell.setVariable('CODEBUILD_BUILD_SUCCEEDING', '0');
        break;
      }
    }
    // `finally` runs after the commands, also when one of them failed (not
    // when the build was stopped). A failing one fails the phase; the rest
    // still run (the documentation does not say; this is the assumption).
    if (outcome.stopped) return outcome;
    for (const command of phase.finally ?? []) {
      options.onCommand?.(command);
      const result = await shell.run(command, options.signal);
      if (result.code !== 0 && !outcome.failed) outcome = failure(command, result.code);
      if (result.code === STOPPED_EXIT) return failure(command, result.code);
    }
    return outcome;
  }

  let succeeding = true;
  let stopped = false;
  let upload = true;
  try {
    for (const [key, type] of BUILDSPEC_PHASES) {
      const phase: BuildspecInstallPhase | undefined = buildspec.phases?.[key];
      if (!phase) continue;
      if (options.signal?.aborted) {
        succeeding = false;
        stopped = true;
        upload = false;
        break;
      }
      options.onPhase?.('start', type);
      const startTime = nowIso();
      const began = Date.now();
      const outcome = await runPhase(type, phase, key === 'install');
      record({
        phaseType: type,
        phaseStatus: outcome.stopped ? 'STOPPED' : outcome.failed ? 'FAILED' : 'SUCCEEDED',
        startTime,
        endTime: nowIso(),
        durationSeconds: (Date.now() - began) / 1000,
        ...(outcome.statusCode ? { statusCode: outcome.statusCode } : {}),
        ...(outcome.context ? { context: outcome.context } : {}),
        ...(outcome.failedCommand ? { failedCommand: outcome.failedCommand } : {}),
      });
      if (!outcome.failed) continue;
      succeeding = false;
      if (outcome.stopped) {
        stopped = true;
        upload = false;
        break;
      }
      const onFailure = phase['on-failure'];
      if (onFailure === 'CONTINUE') continue;
      if (onFailure !== undefined) {
        // ABORT (and a RETRY that ran out): the build stops; nothing is uploaded.
        upload = false;
        break;
      }
      // No on-failure: the default transitions. INSTALL and PRE_BUILD go to
      // FINALIZING; a failed BUILD still runs POST_BUILD; UPLOAD_ARTIFACTS
      // is attempted after a failed BUILD or POST_BUILD.
      if (type === 'INSTALL' || type === 'PRE_BUILD') {
        upload = false;
        break;
      }
    }

    let artifactFiles: string[] = [];
    if (upload && buildspec.artifacts) {
      options.onPhase?.('start', 'UPLOAD_ARTIFACTS');
      const startTime = nowIso();
      const began = Date.now();
      const uploaded = await uploadArtifacts(
        buildspec.artifacts,
        sourceDirectory,
        options.artifactDirectory,
      );
      artifactFiles = uploaded.files;
      if (uploaded.error) succeeding = false;
      for (const pattern of uploaded.unmatched) {
        log.write(`[Container] Skipping invalid file path ${pattern}\n`);
      }
      record({
        phaseType: 'UPLOAD_ARTIFACTS',
        phaseStatus: uploaded.error ? 'FAILED' : 'SUCCEEDED',
        startTime,
        endTime: nowIso(),
        durationSeconds: (Date.now() - began) / 1000,
        ...(uploaded.error ? { statusCode: 'CLIENT_ERROR', context: uploaded.error } : {}),
      });
    }
    return {
      buildStatus: stopped ? 'STOPPED' : succeeding ? 'SUCCEEDED' : 'FAILED',
      phases,
      artifactFiles,
      exportedVariables: await readVariables(
        shell.program,
        shell.state,
        buildspec.env?.['exported-variables'] ?? [],
      ),
      logFile,
    };
  } finally {
    await saveCache();
    await new Promise((resolve) => log.end(resolve));
  }
}

/**
 * Copies the artifact's files: `files` matched under `base-directory`
 * (or the source), paths kept relative to it unless `discard-paths`.
 * No match is CodeBuild's CLIENT_ERROR "no matching artifact paths found".
 */
export async function uploadArtifacts(
  artifacts: NonNullable<Buildspec['artifacts']>,
  sourceDirectory: string,
  destination: string,
): Promise<{ files: string[]; unmatched: string[]; error?: string }> {
  const base = artifacts['base-directory']
    ? join(sourceDirectory, artifacts['base-directory'])
    : sourceDirectory;
  const patterns = (
    typeof artifacts.files === 'string' ? [artifacts.files] : (artifacts.files ?? [])
  ).filter((pattern): pattern is string => typeof pattern === 'string');
  const discard = artifacts['discard-paths'] === 'yes' || artifacts['discard-paths'] === true;
  const present = await listFiles(base);
  const matched = present.filter((file) => patterns.some((p) => globToRegExp(p).test(file)));
  const unmatched = patterns.filter((p) => !present.some((file) => globToRegExp(p).test(file)));
  if (matched.length === 0) {
    return {
      files: [],
      unmatched,
      error: `no matching artifact paths found (files ${patterns.join(', ')} under ${relative(sourceDirectory, base) || '.'})`,
    };
  }
  await rm(destination, { recursive: true, force: true });
  const files: string[] = [];
  for (const file of matched) {
    const name = discard ? basename(file) : file;
    await mkdir(dirname(join(destination, name)), { recursive: true });
    await copyFile(join(base, file), join(destination, name));
    files.push(name);
  }
  return { files, unmatched };
}
