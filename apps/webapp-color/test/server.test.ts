// Spawns the BUILT server (dist/server.js; turbo's test task builds first)
// and the slow-route fixture that wires the built app the same way.
import { Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { COLORS } from '../src/colors.js';
import {
  builtServer,
  httpGet,
  slowServerFixture,
  startProcess,
  startServerProcess,
  type RunningProcess,
} from './helpers/processes.js';

const healthPath = webappColor.container.healthCheckPath;
const running: RunningProcess[] = [];
const agents: Agent[] = [];

afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
  for (const { child } of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function startServer(...args: Parameters<typeof startServerProcess>) {
  const server = await startServerProcess(...args);
  running.push(server);
  return server;
}

function keepAliveAgent() {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

const UNSUPPORTED = (received: string) =>
  `Color not supported. Received '${received}' expected one of red,green,blue,blue2,pink,darkblue`;

describe('dist/server.js', () => {
  it.each([
    [['--color', 'purple'], {}, 'purple'],
    [['--color', 'Red'], {}, 'Red'],
    [[], { APP_COLOR: 'BLUE' }, 'BLUE'],
  ])('exits 1 before listening for %j %j', async (args, env, received) => {
    const proc = startProcess(builtServer, args, env);
    running.push(proc);
    expect(await proc.exited).toEqual({ code: 1, signal: null });
    expect(proc.stderr()).toBe(`${UNSUPPORTED(received)}\n`);
    expect(proc.logs.map((entry) => entry.msg)).toEqual([UNSUPPORTED(received)]);
    expect(proc.logs.some((entry) => entry.msg === 'server started')).toBe(false);
  });

  it('logs one JSON start line with color, its source, version and port', async () => {
    const server = await startServer(builtServer, ['--color', 'red'], {
      APP_COLOR: 'green',
      APP_VERSION: 'abc1234',
    });
    expect(server.started).toMatchObject({
      level: 'info',
      msg: 'server started',
      color: 'red',
      colorSource: 'flag',
      version: 'abc1234',
    });
    expect(server.port).toBeGreaterThan(0);
    const res = await httpGet(server.port, healthPath);
    expect(JSON.parse(res.body)).toEqual({ status: 'ok', color: 'red', version: 'abc1234' });
  });

  it('takes APP_COLOR when there is no flag', async () => {
    const server = await startServer(builtServer, [], { APP_COLOR: 'blue2' });
    expect(server.started).toMatchObject({ color: 'blue2', colorSource: 'env', version: 'dev' });
    expect((await httpGet(server.port, '/color')).body).toBe('blue2');
  });

  it('picks a random color from the table when APP_COLOR is empty, fixed for the process', async () => {
    const server = await startServer(builtServer, [], { APP_COLOR: '' });
    expect(server.started.colorSource).toBe('random');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => httpGet(server.port, '/color')),
    );
    const colors = new Set(answers.map((res) => res.body));
    expect(colors.size).toBe(1);
    const [color] = colors;
    expect(Object.keys(COLORS)).toContain(color);
    expect(color).toBe(server.started.color);
  });

  it('runs from any working directory and logs requests as JSON on stdout', async () => {
    // startProcess spawns with cwd "/": views and public resolve from the package.
    const server = await startServer(builtServer, ['--color', 'pink']);
    const page = await httpGet(server.port, '/');
    expect(page.body).toContain('Hello from');
    expect((await httpGet(server.port, '/styles.css')).statusCode).toBe(200);
    await httpGet(server.port, healthPath);
    const line = await server.waitForLog((entry) => entry.msg === 'request');
    expect(line).toMatchObject({ level: 'info', method: 'GET', url: '/', status: 200 });
    expect(typeof line.durationMs).toBe('number');
    await server.waitForLog((entry) => entry.url === '/styles.css');
    expect(server.logs.some((entry) => entry.url === healthPath)).toBe(false);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'writes every held request line before it exits on %s, including those of the drain',
    async (signal) => {
      const server = await startServer(builtServer, ['--color', 'blue']);
      const agent = keepAliveAgent();
      // A few lines, far under the 4 KiB the logger collects before writing,
      // and the signal well within its 250 ms interval: only the flush on the
      // way out can write them.
      for (const path of ['/', '/color', '/version']) await httpGet(server.port, path, { agent });
      server.child.kill(signal);
      await server.waitForLog((entry) => entry.msg === 'shutdown started');
      await httpGet(server.port, '/info', { agent });
      expect(await server.exited).toEqual({ code: 0, signal: null });
      const requests = server.logs.filter((entry) => entry.msg === 'request');
      expect(requests.map((entry) => entry.url)).toEqual(['/', '/color', '/version', '/info']);
      expect(server.logs.at(-1)?.msg).toBe('shutdown complete');
    },
  );

  it('exits 0 on SIGTERM when idle', async () => {
    const server = await startServer(builtServer, ['--color', 'blue']);
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.logs.map((entry) => entry.msg)).toEqual([
      'server started',
      'shutdown started',
      'shutdown complete',
    ]);
  });

  it('keep-alive clients get an answer with Connection: close during the drain, then it exits 0', async () => {
    const server = await startServer(builtServer, ['--color', 'blue']);
    const agent = keepAliveAgent();
    expect((await httpGet(server.port, '/', { agent })).headers.connection).toBe('keep-alive');
    server.child.kill('SIGTERM');
    await server.waitForLog((entry) => entry.msg === 'shutdown started');
    const during = await httpGet(server.port, '/color', { agent });
    expect(during).toMatchObject({ statusCode: 200, body: 'blue', reusedSocket: true });
    expect(during.headers.connection).toBe('close');
    await expect(httpGet(server.port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await server.exited).toEqual({ code: 0, signal: null });
  });

  it('exits non-zero on a second signal', async () => {
    const server = await startServer(builtServer, ['--color', 'blue']);
    await httpGet(server.port, '/', { agent: keepAliveAgent() });
    server.child.kill('SIGTERM');
    await server.waitForLog((entry) => entry.msg === 'shutdown started');
    server.child.kill('SIGINT');
    const { code } = await server.exited;
    expect(code).not.toBe(0);
  });
});

describe('SIGTERM with a slow request in flight (fixture on the built app)', () => {
  it('completes the request and exits 0', async () => {
    const server = await startServer(slowServerFixture);
    const slow = httpGet(server.port, '/slow?ms=500', { agent: keepAliveAgent() });
    await server.waitForLog((entry) => entry.msg === 'slow request received');
    server.child.kill('SIGTERM');
    await server.waitForLog((entry) => entry.msg === 'shutdown started');
    const res = await slow;
    expect(res).toMatchObject({ statusCode: 200, body: 'slow done' });
    expect(res.headers.connection).toBe('close');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const started = server.logs.find((entry) => entry.msg === 'shutdown started');
    expect(started).toMatchObject({ openConnections: 1 });
  });

  it('exits 1 when the force-exit bound passes first', async () => {
    const server = await startServer(slowServerFixture, [], {
      DRAIN_WINDOW_MS: '100',
      FORCE_EXIT_MS: '300',
    });
    httpGet(server.port, '/slow?ms=5000').catch(() => undefined);
    await server.waitForLog((entry) => entry.msg === 'slow request received');
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 1, signal: null });
  });
});
