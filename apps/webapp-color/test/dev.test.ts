// The newcomer's path: the ROOT `pnpm dev`, through turbo (whose strict env
// mode hands a task only the variables turbo.json names), with every
// variable the app reads. Then the whole session is stopped and none of its
// processes may be left behind.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_VARIABLES } from '../src/config.js';
import { httpGet, type SimpleResponse } from './helpers/processes.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The live (not zombie) processes of a session, from /proc. */
function sessionProcesses(sessionId: number): { pid: number; command: string }[] {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid pgrp session …"; comm may hold spaces and parentheses.
    const [state, , , session] = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    if (Number(session) === sessionId && state !== 'Z') {
      found.push({
        pid: Number(entry),
        command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      });
    }
  }
  return found;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('root `pnpm dev`', () => {
  it('passes every variable the app reads through turbo to the app', () => {
    const turbo = JSON.parse(readFileSync(new URL('../turbo.json', import.meta.url), 'utf8')) as {
      tasks: Record<string, { passThroughEnv?: string[] }>;
    };
    for (const task of ['dev', 'start']) {
      expect(turbo.tasks[task]?.passThroughEnv, task).toEqual([...ENVIRONMENT_VARIABLES]);
    }
  });

  it('serves APP_COLOR on PORT with APP_VERSION and LOG_LEVEL, and leaves no process behind', async () => {
    const port = await freePort();
    // The caller's environment, as a newcomer's shell would have it, minus
    // what the outer turbo and vitest set for this test run.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !/^(TURBO_|VITEST|NODE_ENV$)/.test(name)),
    );
    const dev = spawn('pnpm', ['dev'], {
      cwd: repositoryRoot,
      // A session of its own: turbo puts each task in a process group of its
      // own, so the cleanup below looks for the whole session.
      detached: true,
      env: {
        ...inherited,
        APP_COLOR: 'pink',
        PORT: String(port),
        APP_VERSION: 'dev-check',
        LOG_LEVEL: 'debug',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sessionId = dev.pid!;
    let output = '';
    dev.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    dev.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise((resolve) => dev.once('exit', resolve));

    try {
      const color = await until(
        `no answer on 127.0.0.1:${port}/color`,
        async () => {
          const res: SimpleResponse = await httpGet(port, '/color');
          return res.statusCode === 200 ? res.body : undefined;
        },
        60_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; pnpm dev wrote:\n${output}`);
      });
      expect(color).toBe('pink');
      expect(JSON.parse((await httpGet(port, '/info')).body)).toMatchObject({
        color: 'pink',
        version: 'dev-check',
      });
      const started = output
        .split('\n')
        .filter((line) => line.includes('"msg":"server started"'))
        .map((line) => JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>);
      expect(started).toEqual([
        expect.objectContaining({
          color: 'pink',
          colorSource: 'env',
          version: 'dev-check',
          port,
          logLevel: 'debug',
        }),
      ]);
    } finally {
      // SIGTERM to pnpm's group: turbo passes it on to its tasks.
      try {
        process.kill(-sessionId, 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      const deadline = Date.now() + 5_000;
      while (sessionProcesses(sessionId).length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const leftovers = sessionProcesses(sessionId);
      for (const { pid } of leftovers) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // exited meanwhile
        }
      }
      expect(leftovers, 'processes left behind by pnpm dev').toEqual([]);
    }
  }, 90_000);
});
