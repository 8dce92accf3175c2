import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Request } from 'express';
import { prepareResponse, sendPrepared, type PreparedResponse } from './prepared-response.js';
import { renderView } from './views.js';

interface ErrorBodies {
  readonly html: PreparedResponse;
  readonly json: PreparedResponse;
}

/**
 * Error answers name the status and the version, nothing else: no stack, no
 * message from the error. Rendered once per status and reused.
 */
export class ErrorResponses {
  readonly #bodies = new Map<number, ErrorBodies>();

  constructor(
    private readonly version: string,
    private readonly headers: Readonly<Record<string, string>>,
  ) {}

  send(
    req: Request,
    res: ServerResponse<IncomingMessage>,
    statusCode: number,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): void {
    const bodies = this.#bodiesFor(statusCode);
    for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
    sendPrepared(req, res, req.accepts(['html', 'json']) === 'json' ? bodies.json : bodies.html);
  }

  #bodiesFor(statusCode: number): ErrorBodies {
    let bodies = this.#bodies.get(statusCode);
    if (bodies === undefined) {
      const title = STATUS_CODES[statusCode] ?? 'Error';
      const common = {
        statusCode,
        etag: false,
        cacheControl: 'no-store',
        headers: { ...this.headers, Vary: 'Accept' },
      };
      bodies = {
        html: prepareResponse({
          ...common,
          contentType: 'text/html; charset=utf-8',
          body: renderView('error', { status: statusCode, title, version: this.version }),
        }),
        json: prepareResponse({
          ...common,
          contentType: 'application/json; charset=utf-8',
          body: JSON.stringify({ error: title, status: statusCode, version: this.version }),
        }),
      };
      this.#bodies.set(statusCode, bodies);
    }
    return bodies;
  }
}
