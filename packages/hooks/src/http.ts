import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HttpResponse } from './checks.js';

export interface HttpGetOptions {
  /**
   * The certificate authorities (PEM) trusted on https instead of Node's
   * own: a loopback rehearsal's self-signed listener. @default Node's CAs
   */
  readonly ca?: string;
}

/**
 * One GET to a load-balancer node by address, with the site's Host header
 * and, on https, the site's name as TLS server name (SNI): the listener
 * picks its certificate by it and the certificate is verified against it.
 * The body is capped at 1 MB.
 */
export function httpGet(
  url: string,
  host: string,
  timeoutMs: number,
  options: HttpGetOptions = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const isHttps = new URL(url).protocol === 'https:';
    const common: RequestOptions = { method: 'GET', headers: { host }, timeout: timeoutMs };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= 1_000_000) chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    };
    const req = isHttps
      ? httpsRequest(
          url,
          {
            ...common,
            servername: host,
            ...(options.ca === undefined ? {} : { ca: options.ca }),
          },
          onResponse,
        )
      : httpRequest(url, common, onResponse);
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
