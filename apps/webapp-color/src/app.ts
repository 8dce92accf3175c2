import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname as osHostname } from 'node:os';
import express, { type Express, type RequestHandler } from 'express';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { COLORS, type ColorName } from './colors.js';
import { createErrorHandlers, type ErrorHandlers } from './error-handlers.js';
import { ErrorResponses } from './error-responses.js';
import type { Logger } from './logger.js';
import { publicDirectory } from './paths.js';
import { prepareResponse, sendPrepared, type PreparedResponse } from './prepared-response.js';
import { withRequestLog, type RequestListener } from './request-log.js';
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
}

/** Path of the generated stylesheet that carries the color (keeps the CSP free of 'unsafe-inline'). */
export const colorStylesheetPath = '/color.css';

const ALLOWED_METHODS = 'GET, HEAD';

/**
 * Builds the app. Every answer of the known routes depends only on values
 * fixed for the process, so they are rendered here once; GET/HEAD on their
 * exact paths are answered before Express sees the request (measured: routing
 * them through Express gives 0.20 of bare node:http's throughput), and
 * Express handles the rest (query strings, other methods, static files, 404,
 * errors).
 */
export function createApp(options: AppOptions): RequestListener {
  const { color, version, logger, hostname = osHostname() } = options;
  const healthPath = webappColor.container.healthCheckPath;
  const security = securityHeaders();
  const prepared = preparedRoutes({ color, version, hostname, healthPath, security });
  const errors = new ErrorResponses(version, security);
  const expressApp = buildExpressApp(prepared, errors, createErrorHandlers(errors, logger));

  function answer(req: IncomingMessage, res: ServerResponse) {
    const method = req.method;
    if (method === 'GET' || method === 'HEAD') {
      const response = prepared.get(req.url ?? '/');
      if (response !== undefined) {
        sendPrepared(req, res, response);
        return;
      }
    }
    expressApp(req, res);
  }
  return withRequestLog(answer, { logger, unloggedPath: healthPath });
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

function buildExpressApp(
  prepared: ReadonlyMap<string, PreparedResponse>,
  errors: ErrorResponses,
  { notFound, handleError }: ErrorHandlers,
): Express {
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
  app.use(notFound);
  app.use(handleError);
  return app;
}
