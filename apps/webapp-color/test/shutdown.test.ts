import { createServer, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createGracefulShutdown, type GracefulShutdownOptions } from '../src/shutdown.js';
import { httpGet } from './helpers/processes.js';
import { captureLogs } from './helpers/logs.js';

interface Harness {
  readonly server: Server;
  readonly port: number;
  readonly exitCode: Promise<number>;
  readonly begin: (reason: string) => void;
  readonly logs: ReturnType<typeof captureLogs>;
  readonly draining: () => boolean;
  /** Requests the handler has received so far. */
  readonly received: () => number;
}

const servers: Server[] = [];
const agents: Agent[] = [];

afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
  for (const server of servers.splice(0)) server.closeAllConnections();
});

/** A server whose /slow?ms=N answers after N ms, with the shutdown wired and exit captured. */
async function start(timings: Partial<GracefulShutdownOptions> = {}): Promise<Harness> {
  let received = 0;
  const server = createServer((req, res) => {
    received += 1;
    const url = new URL(req.url ?? '/', 'http://x');
    const delay = Number(url.searchParams.get('ms') ?? 0);
    // /stream sends its headers (keep-alive) at once and the body later.
    if (url.pathname === '/stream') res.writeHead(200).write('start ');
    setTimeout(() => res.end('done'), delay);
  });
  servers.push(server);
  const logs = captureLogs();
  let resolveExit!: (code: number) => void;
  const exitCode = new Promise<number>((resolve) => (resolveExit = resolve));
  const shutdown = createGracefulShutdown(server, {
    drainWindowMs: 2_000,
    forceExitMs: 4_000,
    logger: logs.logger,
    exit: resolveExit,
    ...timings,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    exitCode,
    begin: (reason) => shutdown.begin(reason),
    logs,
    draining: () => shutdown.draining,
    received: () => received,
  };
}

function keepAliveAgent() {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

describe('createGracefulShutdown', () => {
  it('exits 0 at once when no connection is open, and stops accepting', async () => {
    const h = await start();
    const started = performance.now();
    h.begin('SIGTERM');
    expect(h.draining()).toBe(true);
    expect(await h.exitCode).toBe(0);
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(httpGet(h.port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('finishes an in-flight request, tells the client to close, then exits 0', async () => {
    const h = await start();
    const slow = httpGet(h.port, '/slow?ms=300', { agent: keepAliveAgent() });
    await waitUntil(() => h.received() === 1);
    h.begin('SIGTERM');
    const res = await slow;
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('done');
    expect(res.headers.connection).toBe('close');
    expect(await h.exitCode).toBe(0);
  });

  it('answers a request on an idle keep-alive connection during the drain with Connection: close', async () => {
    const h = await start();
    const agent = keepAliveAgent();
    const first = await httpGet(h.port, '/', { agent });
    expect(first.headers.connection).toBe('keep-alive');
    h.begin('SIGTERM');
    // The connection is idle now; http.Server#close would have cut it.
    const second = await httpGet(h.port, '/', { agent });
    expect(second.reusedSocket).toBe(true);
    expect(second.statusCode).toBe(200);
    expect(second.headers.connection).toBe('close');
    expect(await h.exitCode).toBe(0);
  });

  it('closes connections still idle when the drain window ends, then exits 0', async () => {
    const h = await start({ drainWindowMs: 200 });
    await httpGet(h.port, '/', { agent: keepAliveAgent() });
    const started = performance.now();
    h.begin('SIGTERM');
    expect(await h.exitCode).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(h.logs.entries().map((entry) => entry.msg)).toEqual([
      'shutdown started',
      'drain window over',
      'shutdown complete',
    ]);
  });

  it('ends a kept-alive connection whose response finishes after the window', async () => {
    const h = await start({ drainWindowMs: 100, forceExitMs: 1_500 });
    const agent = keepAliveAgent();
    const streaming = httpGet(h.port, '/stream?ms=400', { agent });
    await waitUntil(() => h.received() === 1);
    h.begin('SIGTERM');
    const res = await streaming;
    expect(res.body).toBe('start done');
    // Its headers went out before the drain began, so only the server can end it.
    expect(res.headers.connection).toBe('keep-alive');
    expect(await h.exitCode).toBe(0);
  });

  it('exits 1 on a second signal', async () => {
    const h = await start();
    await httpGet(h.port, '/', { agent: keepAliveAgent() });
    h.begin('SIGTERM');
    h.begin('SIGTERM');
    expect(await h.exitCode).toBe(1);
  });

  it('exits 1 when forceExitMs passes with a request still running', async () => {
    const h = await start({ drainWindowMs: 50, forceExitMs: 200 });
    httpGet(h.port, '/slow?ms=5000').catch(() => undefined);
    await waitUntil(() => h.received() === 1);
    h.begin('SIGTERM');
    expect(await h.exitCode).toBe(1);
    expect(h.logs.entries().some((entry) => entry.msg === 'shutdown timed out')).toBe(true);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
