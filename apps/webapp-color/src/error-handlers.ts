import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ErrorResponses } from './error-responses.js';
import type { Logger } from './logger.js';

export interface ErrorHandlers {
  /** Next to last: any path nothing else answered. */
  readonly notFound: RequestHandler;
  /** Last: a 4xx carried by the error as such, anything else a 500 with its stack in the log. */
  readonly handleError: ErrorRequestHandler;
}

export function createErrorHandlers(errors: ErrorResponses, logger: Logger): ErrorHandlers {
  return {
    notFound(req, res) {
      errors.send(req, res, 404);
    },
    handleError(error: unknown, req, res, next) {
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
    },
  };
}

/** A 4xx carried by the error (e.g. a malformed URL), answered as such; anything else is a 500. */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 500 ? value : undefined;
}
