import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SteadyLoad } from '../src/load.js';

describe('SteadyLoad', () => {
  let server: Server;
  let status = 200;
  let url = '';

  beforeAll(async () => {
    server = createServer((_request, response) => response.writeHead(status).end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('counts every answer under the phase it arrived in, non-2xx and lost connections as failed', async () => {
    const load = new SteadyLoad({ url, rate: 50, connections: 2 });
    load.enter('healthy');
    load.start();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    load.enter('broken');
    status = 503;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    load.enter('gone');
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await load.stop();
    const healthy = load.phases.get('healthy')!;
    const broken = load.phases.get('broken')!;
    const gone = load.phases.get('gone')!;
    expect(healthy.requests).toBeGreaterThan(0);
    expect(healthy.failed).toBe(0);
    expect(broken.failed).toBe(broken.requests);
    expect(broken.reasons).toEqual(['HTTP 503']);
    expect(gone.failed).toBeGreaterThan(0);
    expect(load.totals()).toEqual({
      requests: healthy.requests + broken.requests + gone.requests,
      failed: broken.failed + gone.failed,
    });
    // The report's series holds the same answers, second by second, with latencies of the answered.
    const seconds = load.series.seconds();
    expect(seconds.reduce((sum, second) => sum + second.requests, 0)).toBe(load.totals().requests);
    expect(seconds.reduce((sum, second) => sum + second.failed, 0)).toBe(load.totals().failed);
    expect(seconds.some((second) => second.p50Ms !== null && second.p50Ms >= 0)).toBe(true);
    // The server is gone: listen again for afterAll.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  it('counts a request whose connection closes without an answer as failed', async () => {
    let seen = 0;
    const closing = createServer((request, response) => {
      // The third request dies with its task: the connection closes, no answer.
      if (++seen === 3) request.socket.destroy();
      else response.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    const port = (closing.address() as AddressInfo).port;
    const load = new SteadyLoad({ url: `http://127.0.0.1:${port}/`, rate: 50, connections: 1 });
    load.start();
    while (seen < 6) await new Promise((resolve) => setTimeout(resolve, 20));
    await load.stop();
    closing.closeAllConnections();
    await new Promise((resolve) => closing.close(resolve));
    const before = load.phases.get('before')!;
    expect(before.failed).toBe(1);
    expect(before.reasons).toEqual(['no answer (connection closed)']);
  });

  it('waits for an unanswered request when it stops, until it times out and counts as failed', async () => {
    let seen = 0;
    const hanging = createServer((_request, response) => {
      // The second request hangs, as one does on a target killed under it.
      if (++seen !== 2) response.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const port = (hanging.address() as AddressInfo).port;
    const load = new SteadyLoad({
      url: `http://127.0.0.1:${port}/`,
      rate: 50,
      connections: 1,
      timeoutSeconds: 1,
    });
    load.start();
    while (seen < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    await load.stop();
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
    const before = load.phases.get('before')!;
    expect(before.failed).toBe(1);
    expect(before.reasons).toEqual(['request timed out']);
  });
});
