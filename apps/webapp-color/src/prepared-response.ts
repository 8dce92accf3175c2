import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A response computed once at start-up (every value it shows is fixed per
 * process) and written with one `writeHead` + `end`.
 */
export interface PreparedResponse {
  readonly statusCode: number;
  readonly body: Buffer;
  /** Flat `[name, value, …]` list, the cheapest form `writeHead` takes. */
  readonly headers: readonly string[];
  /** Present when conditional GETs may answer 304. */
  readonly etag?: string;
  readonly notModifiedHeaders?: readonly string[];
}

export interface PrepareOptions {
  readonly statusCode?: number;
  readonly contentType: string;
  readonly body: string | Buffer;
  /** Adds an ETag and answers matching `If-None-Match` with 304. @default true for 200 */
  readonly etag?: boolean;
  /** @default 'no-cache' (revalidate: a blue/green switch changes the answer) */
  readonly cacheControl?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function prepareResponse(options: PrepareOptions): PreparedResponse {
  const statusCode = options.statusCode ?? 200;
  const body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
  const common: Record<string, string> = {
    ...options.headers,
    'Cache-Control': options.cacheControl ?? 'no-cache',
  };
  const withEtag = options.etag ?? statusCode === 200;
  const etag = withEtag ? `"${createHash('sha1').update(body).digest('base64url')}"` : undefined;
  if (etag !== undefined) common.ETag = etag;
  const headers = flatten({
    ...common,
    'Content-Type': options.contentType,
    'Content-Length': String(body.length),
  });
  if (etag === undefined) return { statusCode, body, headers };
  return { statusCode, body, headers, etag, notModifiedHeaders: flatten(common) };
}

/** Writes a prepared response; HEAD gets the headers only, a matching ETag a 304. */
export function sendPrepared(
  req: IncomingMessage,
  res: ServerResponse,
  prepared: PreparedResponse,
): void {
  if (prepared.etag !== undefined && prepared.notModifiedHeaders !== undefined) {
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, prepared.etag)) {
      res.writeHead(304, prepared.notModifiedHeaders as string[]);
      res.end();
      return;
    }
  }
  res.writeHead(prepared.statusCode, prepared.headers as string[]);
  // node drops the body of a HEAD response by itself.
  res.end(prepared.body);
}

function etagMatches(ifNoneMatch: string, etag: string): boolean {
  if (ifNoneMatch === etag || ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

function flatten(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).flat();
}
