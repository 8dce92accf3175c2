import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Logger } from './logger.js';

/** A `node:http` request listener: give it to `http.createServer` or supertest. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface RequestLogOptions {
  readonly logger: Logger;
  /** Requests on this path (with or without a query) are not logged: the load balancer's probes. */
  readonly unloggedPath: string;
}

/**
 * Wraps `listener` so that each request gets one line: `request` (info) with
 * method, url, status and duration, or `request aborted` (warn) when the
 * client went away first. A response written synchronously (the prepared
 * ones) is logged at once, without a listener on the response.
 *
 * A plain object on the process logger: pino-http would add a child logger
 * and serializers per request, which costs more than the rest of the request.
 */
export function withRequestLog(
  listener: RequestListener,
  options: RequestLogOptions,
): RequestListener {
  const { logger, unloggedPath } = options;
  // Decided once: the level is fixed for the process (LOG_LEVEL).
  if (!logger.isLevelEnabled('warn')) return listener;
  const logsFinished = logger.isLevelEnabled('info');
  const unloggedWithQuery = `${unloggedPath}?`;

  function log(req: IncomingMessage, res: ServerResponse, start: number) {
    if (res.writableEnded) {
      if (logsFinished) logger.info(entry(req, res, start), 'request');
    } else {
      logger.warn({ ...entry(req, res, start), aborted: true }, 'request aborted');
    }
  }

  return function logRequest(req, res) {
    const url = req.url ?? '/';
    if (url === unloggedPath || url.startsWith(unloggedWithQuery)) {
      listener(req, res);
      return;
    }
    const start = performance.now();
    listener(req, res);
    if (res.writableEnded) log(req, res, start);
    else res.once('close', () => log(req, res, start));
  };
}

function entry(req: IncomingMessage, res: ServerResponse, start: number) {
  return {
    method: req.method,
    url: req.url,
    status: res.statusCode,
    durationMs: Math.round((performance.now() - start) * 1000) / 1000,
  };
}
