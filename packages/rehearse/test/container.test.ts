// The app's real Dockerfile built with the one image-build function of the
// rehearsal, then run twice and checked from outside: as `docker run` runs
// the image (tini as PID 1, read-only root, no capabilities) and as the
// rendered task definition runs it on ECS (init process, user, size, health
// check). Runs where podman or docker answers; otherwise skipped with the reason.
import { fileURLToPath } from 'node:url';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildImage,
  detectEngine,
  engineExec,
  freePort,
  REHEARSAL_LABEL,
  removeContainersArgs,
  renderLocalRelease,
  taskRunArgs,
  type ContainerEngine,
} from '../src/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const { container } = webappColor;
const COLOR_UNDER_TEST = 'green';
/** A commit id for the render step's check; the image is tagged with the suite's own version. */
const SUITE_COMMIT_ID = '0000000000000000000000000000000000000000';
const engine: ContainerEngine | undefined = await detectEngine().catch((error: Error) => {
  console.warn(`container suite SKIPPED: ${error.message}`);
  return undefined;
});

interface ImageConfig {
  readonly User?: string;
  readonly Env?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly ExposedPorts?: Readonly<Record<string, unknown>>;
  readonly Healthcheck?: {
    readonly Test?: readonly string[];
    readonly Interval?: number;
    readonly Timeout?: number;
    readonly Retries?: number;
    readonly StartPeriod?: number;
  };
}

describe.skipIf(!engine)('the image, built and run (container suite)', () => {
  const run = (args: readonly string[]) => engineExec(engine!, args);
  const label = `container-suite-${process.pid}`;
  let image = '';
  let version = '';
  let config: ImageConfig = {};

  /** Runs the image (or a task) detached, waits for the health route, returns its address. */
  async function start(name: string, args: (port: number) => string[]): Promise<string> {
    const port = await freePort();
    const result = await run(args(port));
    expect(result.code, `${engine!.name} run ${name}: ${result.stderr}`).toBe(0);
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const state = await run(['inspect', '--format', '{{.State.Running}}', name]);
      if (state.stdout.trim() !== 'true') {
        const logs = await run(['logs', name]);
        throw new Error(`${name} exited during start-up:\n${logs.stdout}${logs.stderr}`);
      }
      const answer = await fetch(`${base}${container.healthCheckPath}`).catch(() => undefined);
      if (answer?.status === 200) return base;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${name}: no 200 from ${container.healthCheckPath} within 20 s`);
  }

  async function exec(name: string, command: string): Promise<string> {
    return (await run(['exec', name, 'sh', '-c', command])).stdout;
  }

  /** Every process in the container: pid, uid, command line. */
  async function processes(name: string): Promise<{ pid: number; uid: number; command: string }[]> {
    const listing = await exec(
      name,
      'for s in /proc/[0-9]*/status; do p=${s#/proc/}; p=${p%/status}; ' +
        'printf "%s %s %s\\n" "$p" "$(awk "/^Uid:/ { print \\$2 }" "$s")" "$(tr "\\0" " " < /proc/$p/cmdline)"; done',
    );
    return listing
      .split('\n')
      .map((line) => /^(\d+) (\d+) (.*)$/.exec(line.trim()))
      .filter((match): match is RegExpExecArray => match !== null && !match[3]!.includes('/proc/'))
      .map((match) => ({
        pid: Number(match[1]),
        uid: Number(match[2]),
        command: match[3]!.trim(),
      }));
  }

  /** `stop` sends SIGTERM and waits the stop timeout before SIGKILL. */
  async function stop(name: string): Promise<{ exitCode: number; ms: number }> {
    const begun = Date.now();
    await run(['stop', '--time', String(container.stopTimeoutSeconds), name]);
    const ms = Date.now() - begun;
    const exitCode = Number(
      (await run(['inspect', '--format', '{{.State.ExitCode}}', name])).stdout,
    );
    return { exitCode, ms };
  }

  /**
   * Stops the container and checks the exit the way ECS needs it; `more`
   * adds checks that need the container stopped.
   */
  function describeStop(name: string, more?: () => void): void {
    describe('stop', () => {
      let stopped: { exitCode: number; ms: number };
      beforeAll(async () => {
        stopped = await stop(name);
      }, 60_000);

      it('SIGTERM gives exit code 0', () => {
        expect(stopped.exitCode).toBe(0);
      });

      it('exits on SIGTERM well before the stop timeout kills it', () => {
        expect(stopped.ms).toBeLessThan(container.stopTimeoutSeconds * 1000 - 2000);
      });

      more?.();
    });
  }

  beforeAll(async () => {
    // The suite's own version: it checks that APP_VERSION reaches the app,
    // and needs no commit (the source may come without `.git`).
    version = `suite-${process.pid}`;
    image = `localhost/${webappColor.app.name}:${version}`;
    await buildImage({
      engine: engine!,
      context: repoRoot,
      dockerfile: webappColor.app.dockerfile,
      tag: image,
      buildArgs: { APP_VERSION: version },
    });
    const inspected = await run(['image', 'inspect', image]);
    const parsed = JSON.parse(inspected.stdout) as {
      Config?: ImageConfig;
      Healthcheck?: ImageConfig['Healthcheck'];
    }[];
    config = {
      ...parsed[0]?.Config,
      Healthcheck: parsed[0]?.Config?.Healthcheck ?? parsed[0]?.Healthcheck,
    };
  }, 900_000);

  afterAll(async () => {
    // Every container of this run, found by its label rather than by the names
    // the suite meant to start: a container created but never started (a
    // failed `run`) is removed too.
    const left = await run([
      'ps',
      '--all',
      '--quiet',
      '--filter',
      `label=${REHEARSAL_LABEL}=${label}`,
    ]);
    const ids = left.stdout.split('\n').filter(Boolean);
    if (ids.length > 0) await run(removeContainersArgs(engine!, ids));
    // The tag goes; the layers stay in the engine's build cache.
    if (image) await run(['rmi', image]);
  }, 60_000);

  describe('image configuration', () => {
    it("carries the workspace's delivery definition (@webapp-color/deploy-specs/definition)", async () => {
      const printed = await run([
        'run',
        '--rm',
        ...engine!.runFlags,
        '--network',
        'none',
        '--no-healthcheck',
        '--entrypoint',
        'node',
        image,
        '--input-type=module',
        '-e',
        "import { webappColor } from '@webapp-color/deploy-specs/definition'; console.log(JSON.stringify(webappColor.container))",
      ]);
      expect(printed.stderr).toBe('');
      expect(JSON.parse(printed.stdout)).toEqual(container);
    });

    it('runs as a named non-root USER', () => {
      expect(config.User).toBeTruthy();
      expect(['root', '0']).not.toContain(config.User);
    });

    it("EXPOSEs the definition's container port", () => {
      expect(Object.keys(config.ExposedPorts ?? {})).toEqual([`${container.port}/tcp`]);
    });

    it("has a HEALTHCHECK on the definition's health route", () => {
      expect(config.Healthcheck?.Test?.join(' ')).toContain(container.healthCheckPath);
    });

    it("has the definition's health-check timings", () => {
      const seconds = (ns: number | undefined) => (ns ?? 0) / 1e9;
      const h = config.Healthcheck ?? {};
      expect({
        intervalSeconds: seconds(h.Interval),
        timeoutSeconds: seconds(h.Timeout),
        retries: h.Retries,
        startPeriodSeconds: seconds(h.StartPeriod),
      }).toEqual(container.healthCheck);
    });

    it('sets NODE_ENV=production', () => {
      expect(config.Env).toContain('NODE_ENV=production');
    });

    it('starts node in exec form', () => {
      expect(config.Cmd?.[0]).toBe('node');
    });
  });

  describe('run as `docker run` runs it: tini as PID 1, read-only root, no capabilities', () => {
    const name = `webapp-color-suite-${process.pid}`;
    let base = '';
    let hostname = '';

    beforeAll(async () => {
      base = await start(name, (port) => [
        'run',
        '--detach',
        '--name',
        name,
        '--label',
        `${REHEARSAL_LABEL}=${label}`,
        ...engine!.runFlags,
        '--read-only',
        ...(engine!.name === 'podman' ? ['--read-only-tmpfs=false', '--no-healthcheck'] : []),
        '--cap-drop=ALL',
        '--security-opt=no-new-privileges',
        '--env',
        `APP_COLOR=${COLOR_UNDER_TEST}`,
        '--publish',
        `127.0.0.1:${port}:${container.port}`,
        image,
      ]);
      hostname = (await run(['inspect', '--format', '{{.Config.Hostname}}', name])).stdout.trim();
    }, 60_000);

    it('GET / answers 200', async () => {
      expect((await fetch(`${base}/`)).status).toBe(200);
    });

    it("GET / says 'Hello from <container hostname>!'", async () => {
      expect(await (await fetch(`${base}/`)).text()).toContain(`Hello from ${hostname}!`);
    });

    it('GET / shows the APP_VERSION the build was given', async () => {
      expect(await (await fetch(`${base}/`)).text()).toContain(version);
    });

    it('the health route answers 200', async () => {
      expect((await fetch(`${base}${container.healthCheckPath}`)).status).toBe(200);
    });

    it('the health route says status ok', async () => {
      const body = (await (await fetch(`${base}${container.healthCheckPath}`)).json()) as {
        status?: string;
      };
      expect(body.status).toBe('ok');
    });

    it('the health route reports the built APP_VERSION', async () => {
      const body = (await (await fetch(`${base}${container.healthCheckPath}`)).json()) as {
        version?: string;
      };
      expect(body.version).toBe(version);
    });

    it('the health route reports the APP_COLOR the container was given', async () => {
      const body = (await (await fetch(`${base}${container.healthCheckPath}`)).json()) as {
        color?: string;
      };
      expect(body.color).toBe(COLOR_UNDER_TEST);
    });

    it('GET /version answers 200 with the APP_VERSION', async () => {
      const answer = await fetch(`${base}/version`);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain(version);
    });

    it("an exec'd process runs as the definition's user", async () => {
      expect((await exec(name, 'id -u')).trim()).toBe(container.user);
    });

    it('node runs as a non-root uid', async () => {
      const node = (await processes(name)).find((p) => p.command.startsWith('node '));
      expect(node, 'a node process').toBeDefined();
      expect(node!.uid).not.toBe(0);
    });

    it('PID 1 is tini, which forwards signals to node', async () => {
      expect((await processes(name)).find((p) => p.pid === 1)?.command).toMatch(/tini/);
    });

    it('the root filesystem is read-only (writing /app fails)', async () => {
      expect((await run(['exec', name, 'sh', '-c', 'echo x >> /app/.write-test'])).code).not.toBe(
        0,
      );
    });

    it('there is no writable /tmp either (ECS gives none)', async () => {
      expect((await run(['exec', name, 'sh', '-c', 'echo x >> /tmp/.write-test'])).code).not.toBe(
        0,
      );
    });

    it("the image's HEALTHCHECK command succeeds inside the running container", async () => {
      const [kind, ...command] = config.Healthcheck?.Test ?? [];
      const argv = kind === 'CMD-SHELL' ? ['/bin/sh', '-c', command.join(' ')] : command;
      expect(argv.length, 'a HEALTHCHECK command').toBeGreaterThan(0);
      const result = await run(['exec', name, ...argv]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
    });

    it('holds no pnpm, store, sources or dev dependencies', async () => {
      const found = await exec(
        name,
        'command -v pnpm turbo 2>/dev/null; ls -d /app/src /app/test /app/tsconfig.json /root/.local/share/pnpm /pnpm 2>/dev/null; ' +
          'ls /app/node_modules/.pnpm 2>/dev/null | grep -E "^(typescript|vitest|tsx|turbo|eslint|supertest|autocannon|playwright-core)@"; true',
      );
      expect(found.trim()).toBe('');
    });

    it('app files are owned by root and not world-writable (the app cannot modify itself)', async () => {
      const found = await exec(
        name,
        `find /app -maxdepth 2 ! -type l \\( -user ${container.user} -o -perm -o+w \\) -print | head -n 5`,
      );
      expect(found.trim()).toBe('');
    });

    describeStop(name);
  });

  describe('run as the rendered task definition runs it on ECS (init process, user, size, health check)', () => {
    const name = `webapp-color-suite-task-${process.pid}`;
    let healthCommand: string[] = [];

    beforeAll(async () => {
      const release = await renderLocalRelease(webappColor, {
        repoRoot,
        commitId: SUITE_COMMIT_ID,
        version,
        imageRepository: image.slice(0, image.lastIndexOf(':')),
        region: 'us-east-1',
      });
      expect(release.imageUri).toBe(image);
      const [kind, ...command] =
        release.taskDefinition.containerDefinitions[0]?.healthCheck?.command ?? [];
      healthCommand = kind === 'CMD-SHELL' ? ['/bin/sh', '-c', command.join(' ')] : command;
      await start(name, (port) =>
        taskRunArgs(release.taskDefinition, {
          engine: engine!,
          name,
          image: release.imageUri,
          hostPort: port,
          labels: { [REHEARSAL_LABEL]: label },
        }),
      );
    }, 60_000);

    it("PID 1 is the runtime's init (initProcessEnabled) and tini runs under it", async () => {
      const list = await processes(name);
      expect(list.find((p) => p.pid === 1)?.command).toMatch(/init/);
      expect(list.some((p) => p.pid !== 1 && /^\/usr\/bin\/tini/.test(p.command))).toBe(true);
    });

    it("the task definition's container health check passes", async () => {
      const check =
        engine!.name === 'podman'
          ? await run(['healthcheck', 'run', name])
          : await run(['exec', name, ...healthCommand]);
      expect(check.code, check.stdout + check.stderr).toBe(0);
    });

    describeStop(name, () => {
      it('tini prints no warnings under the outer init', async () => {
        const logs = await run(['logs', name]);
        expect((logs.stdout + logs.stderr).toLowerCase()).not.toContain('tini');
      });
    });
  });
});
