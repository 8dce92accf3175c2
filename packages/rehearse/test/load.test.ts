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
    // The server is gone: listen again for afterAll.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
});
