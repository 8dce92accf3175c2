import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The page loads two same-origin stylesheets and a favicon, and nothing
 * else: no script at all and no inline style, so no 'unsafe-inline'.
 * `upgrade-insecure-requests` is left out because the app is also reached
 * over plain HTTP (locally, and on the ALB's test listener).
 */
export const helmetOptions: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
      'img-src': ["'self'"],
      'style-src': ["'self'"],
    },
  },
  xFrameOptions: { action: 'deny' },
};

export const securityMiddleware = helmet(helmetOptions);

/**
 * helmet's headers do not depend on the request, so they are collected once
 * and copied into the prepared responses that bypass Express.
 */
export function securityHeaders(): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string) {
      headers[name] = value;
    },
    removeHeader(name: string) {
      delete headers[name];
    },
  };
  let failure: unknown;
  securityMiddleware(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      failure = error;
    },
  );
  if (failure !== undefined)
    throw new Error('helmet failed to build its headers', { cause: failure });
  return headers;
}
