import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { createApp, type AppOptions } from '../src/app.js';
import { COLORS, COLOR_NAMES, type ColorName } from '../src/colors.js';
import { createErrorHandlers } from '../src/error-handlers.js';
import { ErrorResponses } from '../src/error-responses.js';
import { withRequestLog } from '../src/request-log.js';
import { securityHeaders, securityMiddleware } from '../src/security.js';
import { captureLogs, type CapturedLogs } from './helpers/logs.js';

const healthPath = webappColor.container.healthCheckPath;
const EXPECTED_CSP =
  "default-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'none';img-src 'self';style-src 'self'";

function build(overrides: Partial<AppOptions> = {}) {
  const logs = captureLogs();
  const app = createApp({
    color: 'blue',
    version: '1.2.3',
    hostname: 'test-host',
    logger: logs.logger,
    ...overrides,
  });
  return { app, logs };
}

/**
 * An Express app of the test's own routes, finished with the app's exported
 * security middleware and error handlers, as the app's own Express part is.
 */
function withAppErrorHandling(
  addRoutes: (app: Express) => void,
  logs: CapturedLogs = captureLogs(),
) {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityMiddleware);
  addRoutes(app);
  const { notFound, handleError } = createErrorHandlers(
    new ErrorResponses('1.2.3', securityHeaders()),
    logs.logger,
  );
  app.use(notFound);
  app.use(handleError);
  return { app, logs };
}

/** The page's color comes from the generated stylesheet it links. */
async function pageColor(color: ColorName) {
  const { app } = build({ color });
  const page = await request(app).get('/').expect(200);
  const href = /<link rel="stylesheet" href="([^"]+)">\s*<\/head>/.exec(page.text)?.[1];
  expect(href).toBeDefined();
  const css = await request(app).get(href!).expect(200);
  return { page, css };
}

describe('GET /', () => {
  it.each(COLOR_NAMES.map((name) => [name, COLORS[name]]))(
    'renders %s as background %s',
    async (name, hex) => {
      const { page, css } = await pageColor(name);
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
      expect(css.text).toContain(`--app-color: ${hex};`);
      expect(page.text).toContain('<body class="page">');
      expect(page.text).toContain(`<strong id="color">${name}</strong>`);
    },
  );

  it('greets with the hostname and shows the version', async () => {
    const res = await request(build().app).get('/').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.text).toContain('<h1>Hello from test-host!</h1>');
    expect(res.text).toContain('<strong id="version">1.2.3</strong>');
  });

  it('escapes the hostname and version', async () => {
    const { app } = build({ hostname: '<b>x</b>', version: '"><script>' });
    const res = await request(app).get('/').expect(200);
    expect(res.text).toContain('Hello from &lt;b&gt;x&lt;/b&gt;!');
    expect(res.text).not.toContain('<script>');
  });

  it('has no inline script or style, so the CSP holds', async () => {
    const res = await request(build().app).get('/').expect(200);
    expect(res.text).not.toMatch(/<script|style=|<style/i);
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const { app } = build();
    const first = await request(app).get('/').expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const second = await request(app).get('/').set('If-None-Match', etag).expect(304);
    expect(second.text).toBe('');
    expect(second.headers.etag).toBe(etag);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const { app } = build();
    const get = await request(app).get('/');
    const head = await request(app).head('/').expect(200);
    expect(head.text).toBeUndefined();
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.headers.etag).toBe(get.headers.etag);
  });

  it('serves the same page with a query string (through Express)', async () => {
    const { app } = build();
    const plain = await request(app).get('/');
    const withQuery = await request(app).get('/?utm=x').expect(200);
    expect(withQuery.text).toBe(plain.text);
    expect(withQuery.headers['content-security-policy']).toBe(EXPECTED_CSP);
  });
});

describe('the other routes', () => {
  it('GET /color answers the name as text', async () => {
    const res = await request(build({ color: 'blue2' }).app)
      .get('/color')
      .expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('blue2');
  });

  it('GET /version answers the version as text', async () => {
    const res = await request(build().app).get('/version').expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe('1.2.3');
  });

  it('GET /info answers JSON with version and color', async () => {
    const res = await request(build({ color: 'red' }).app)
      .get('/info')
      .expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ color: 'red', version: '1.2.3', hostname: 'test-host' });
  });

  it('the health route of the delivery definition answers ok, uncached', async () => {
    const res = await request(build({ color: 'pink' }).app)
      .get(healthPath)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ status: 'ok', color: 'pink', version: '1.2.3' });
  });

  it('serves the static stylesheet', async () => {
    const res = await request(build().app).get('/styles.css').expect(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.text).toContain('var(--app-color');
  });

  it.each(['/', '/color', '/version', '/info', healthPath, '/color.css'])(
    'HEAD %s works where GET does',
    async (path) => {
      await request(build().app).head(path).expect(200);
    },
  );
});

describe('errors', () => {
  it.each([
    ['POST', '/'],
    ['PUT', '/color'],
    ['DELETE', '/version'],
    ['PATCH', '/info'],
    ['POST', healthPath],
  ])('%s %s answers 405 with an Allow header', async (method, path) => {
    const res = await request(build().app)[method.toLowerCase() as 'post'](path).expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });

  it('answers unknown paths with an HTML 404 by default', async () => {
    const res = await request(build().app).get('/nope').expect(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers.vary).toBe('Accept');
    expect(res.text).toContain('404 Not Found');
    expect(res.text).toContain('1.2.3');
  });

  it('answers unknown paths with a JSON 404 when JSON is asked for', async () => {
    const res = await request(build().app)
      .get('/nope')
      .set('Accept', 'application/json')
      .expect(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ error: 'Not Found', status: 404, version: '1.2.3' });
  });

  it('answers a failing route with 500, no stack or message, and logs the stack', async () => {
    const { app, logs } = withAppErrorHandling((expressApp) => {
      expressApp.get('/boom', () => {
        throw new Error('secret internals at /etc/passwd');
      });
    });
    const html = await request(app).get('/boom').expect(500);
    expect(html.text).toContain('500 Internal Server Error');
    const json = await request(app).get('/boom').set('Accept', 'application/json').expect(500);
    expect(json.body).toEqual({ error: 'Internal Server Error', status: 500, version: '1.2.3' });
    for (const res of [html, json]) {
      expect(res.text).not.toContain('secret');
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    }
    const errorLine = logs.entries().find((entry) => entry.msg === 'request failed');
    expect(errorLine).toMatchObject({ level: 'error', method: 'GET', url: '/boom' });
    const err = errorLine?.err as { message: string; stack: string };
    expect(err.message).toBe('secret internals at /etc/passwd');
    expect(err.stack).toMatch(/app\.test\.ts/);
  });

  it('answers an error that carries a 4xx status with that status, not a 500', async () => {
    const { app, logs } = withAppErrorHandling((expressApp) => {
      expressApp.get('/bad', () => {
        throw Object.assign(new Error('bad input detail'), { status: 400 });
      });
    });
    const res = await request(app).get('/bad').expect(400);
    expect(res.text).toContain('400 Bad Request');
    expect(res.text).not.toContain('bad input detail');
    expect(logs.entries().filter((entry) => entry.level === 'error')).toEqual([]);
  });
});

describe('headers', () => {
  it.each(['/', '/color', '/info', healthPath, '/nope', '/styles.css'])(
    '%s has the CSP and helmet headers, and no x-powered-by',
    async (path) => {
      const res = await request(build().app).get(path);
      expect(res.headers['content-security-policy']).toBe(EXPECTED_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['strict-transport-security']).toContain('max-age=');
      expect(res.headers['x-powered-by']).toBeUndefined();
    },
  );

  it('405 answers carry the security headers too', async () => {
    const res = await request(build().app).post('/').expect(405);
    expect(res.headers['content-security-policy']).toBe(EXPECTED_CSP);
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('request logs', () => {
  it('writes one JSON line per request with method, url, status and duration', async () => {
    const { app, logs } = build();
    await request(app).get('/color');
    await request(app).post('/');
    await request(app).get('/nope?x=1');
    const lines = logs.entries().filter((entry) => entry.msg === 'request');
    expect(lines.map(({ method, url, status }) => ({ method, url, status }))).toEqual([
      { method: 'GET', url: '/color', status: 200 },
      { method: 'POST', url: '/', status: 405 },
      { method: 'GET', url: '/nope?x=1', status: 404 },
    ]);
    for (const line of lines) {
      expect(line.level).toBe('info');
      expect(typeof line.durationMs).toBe('number');
      expect(typeof line.time).toBe('string');
    }
  });

  it('leaves out the request lines at LOG_LEVEL=warn, and still logs aborted requests and errors', async () => {
    const logs = captureLogs('warn');
    const { app } = build({ logger: logs.logger });
    await request(app).get('/color').expect(200);
    await request(app).get('/nope').expect(404);
    expect(logs.entries()).toEqual([]);
    expect(logs.logger.isLevelEnabled('warn')).toBe(true);
  });

  it('writes nothing at LOG_LEVEL=silent', async () => {
    const logs = captureLogs('silent');
    const { app } = build({ logger: logs.logger });
    await request(app).get('/').expect(200);
    await request(app).post('/').expect(405);
    expect(logs.entries()).toEqual([]);
  });

  it('does not log the health route', async () => {
    const { app, logs } = build();
    await request(app).get(healthPath).expect(200);
    await request(app).get(`${healthPath}?probe=1`).expect(200);
    expect(logs.entries()).toEqual([]);
  });

  it('logs a request the client gave up on as aborted', async () => {
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    const logs = captureLogs();
    const never = express().get('/never', () => received());
    const server = createServer(
      withRequestLog(never, { logger: logs.logger, unloggedPath: healthPath }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const req = httpRequest({ host: '127.0.0.1', port, path: '/never' });
    req.on('error', () => undefined);
    req.end();
    await arrived;
    req.destroy();
    await vi.waitFor(() => expect(logs.entries()).toHaveLength(1), { timeout: 2_000 });
    server.close();
    expect(logs.entries()).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'request aborted',
        url: '/never',
        aborted: true,
      }),
    ]);
  });
});
