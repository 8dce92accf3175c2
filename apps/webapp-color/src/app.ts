import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname as osHostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { COLORS, type ColorName } from './colors.js';
import { ErrorResponses } from './error-responses.js';
import type { Logger } from './logger.js';
import { publicDirectory } from './paths.js';
import { prepareResponse, sendPrepared, type PreparedResponse } from './prepared-response.js';
import { securityHeaders, securityMiddleware } from './security.js';
import { renderView } from './views.js';

export interface AppOptions {
  /** The process's color, already chosen (see `chooseColor`). */
  readonly color: ColorName;
  /** Shown on the page and in every JSON answer. */
  readonly version: string;
  /** Receives one line per request (not for the health route) and errors with their stack. */
  readonly logger: Logger;
  /** The name in the heading. @default os.hostname() */
  readonly hostname?: string;
  /**
   * Adds routes before the 404 handler. Tests use it for slow and failing
   * routes; the server never passes it.
   */
  readonly extraRoutes?: (app: Express) => void;
}

/** A `node:http` request listener: give it to `http.createServer` or supertest. */
export type AppRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Path of the generated stylesheet that carries the color (keeps the CSP free of 'unsafe-inline'). */
export const colorStylesheetPath = '/color.css';

const ALLOWED_METHODS = 'GET, HEAD';

/**
 * Builds the app. Every answer of the known routes depends only on values
 * fixed for the process, so they are rendered here once; GET/HEAD on their
 * exact paths are answered before Express sees the request, and Express
 * handles the rest (query strings, other methods, static files, 404, errors).
 */
export function createApp(options: AppOptions): AppRequestListener {
  const { color, version, logger, hostname = osHostname() } = options;
  const healthPath = webappColor.container.healthCheckPath;
  const security = securityHeaders();
  const prepared = preparedRoutes({ color, version, hostname, healthPath, security });
  const errors = new ErrorResponses(version, security);
  const expressApp = buildExpressApp({
    prepared,
    errors,
    logger,
    extraRoutes: options.extraRoutes,
  });

  return function handleRequest(req, res) {
    const start = performance.now();
    const url = req.url ?? '/';
    const logged = !isHealthCheck(url, healthPath);
    const method = req.method;
    if (method === 'GET' || method === 'HEAD') {
      const response = prepared.get(url);
      if (response !== undefined) {
        sendPrepared(req, res, response);
        // Written in one go: the request is done, log it without a listener.
        if (logged) logRequest(logger, req, res, start);
        return;
      }
    }
    if (logged) res.once('close', () => logRequest(logger, req, res, start));
    expressApp(req, res);
  };
}

function isHealthCheck(url: string, healthPath: string): boolean {
  return url === healthPath || url.startsWith(`${healthPath}?`);
}

// A plain object on the request logger: pino-http would add a child logger
// and serializers per request, which costs more than the rest of the request.
function logRequest(logger: Logger, req: IncomingMessage, res: ServerResponse, start: number) {
  const entry = {
    method: req.method,
    url: req.url,
    status: res.statusCode,
    durationMs: Math.round((performance.now() - start) * 1000) / 1000,
  };
  if (res.writableEnded) logger.info(entry, 'request');
  else logger.warn({ ...entry, aborted: true }, 'request aborted');
}

interface PageValues {
  readonly color: ColorName;
  readonly version: string;
  readonly hostname: string;
  readonly healthPath: string;
  readonly security: Readonly<Record<string, string>>;
}

function preparedRoutes(values: PageValues): ReadonlyMap<string, PreparedResponse> {
  const { color, version, hostname, healthPath, security } = values;
  const text = (body: string) =>
    prepareResponse({ contentType: 'text/plain; charset=utf-8', body, headers: security });
  const json = (body: unknown, cacheControl?: string) =>
    prepareResponse({
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify(body),
      headers: security,
      ...(cacheControl === undefined ? {} : { cacheControl }),
    });
  return new Map([
    [
      '/',
      prepareResponse({
        contentType: 'text/html; charset=utf-8',
        body: renderView('index', {
          color,
          version,
          hostname,
          colorStylesheet: colorStylesheetPath,
        }),
        headers: security,
      }),
    ],
    [
      colorStylesheetPath,
      prepareResponse({
        contentType: 'text/css; charset=utf-8',
        body: `:root {\n  --app-color: ${COLORS[color]};\n}\n`,
        headers: security,
      }),
    ],
    ['/color', text(color)],
    ['/version', text(version)],
    ['/info', json({ color, version, hostname })],
    [healthPath, json({ status: 'ok', color, version }, 'no-store')],
  ]);
}

interface ExpressParts {
  readonly prepared: ReadonlyMap<string, PreparedResponse>;
  readonly errors: ErrorResponses;
  readonly logger: Logger;
  readonly extraRoutes: ((app: Express) => void) | undefined;
}

function buildExpressApp({ prepared, errors, logger, extraRoutes }: ExpressParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityMiddleware);

  const methodNotAllowed: RequestHandler = (req, res) => {
    errors.send(req, res, 405, { Allow: ALLOWED_METHODS });
  };
  for (const [path, response] of prepared) {
    app
      .route(path)
      .get((req, res) => {
        sendPrepared(req, res, response);
      })
      .all(methodNotAllowed);
  }

  app.use(express.static(publicDirectory, { index: false, redirect: false }));
  extraRoutes?.(app);

  const notFound: RequestHandler = (req, res) => {
    errors.send(req, res, 404);
  };
  app.use(notFound);

  const handleError: ErrorRequestHandler = (error: unknown, req, res, next) => {
    const status = clientErrorStatus(error);
    if (status === undefined) {
      logger.error({ err: error, method: req.method, url: req.originalUrl }, 'request failed');
    }
    if (res.headersSent) {
      // Too late for an error page; let Express cut the connection.
      next(error);
      return;
    }
    errors.send(req, res, status ?? 500);
  };
  app.use(handleError);
  return app;
}

/** A 4xx carried by the error (e.g. a malformed URL), answered as such; anything else is a 500. */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 500 ? value : undefined;
}
