import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import type { Logger } from './logger.js';

export interface GracefulShutdownOptions {
  /** How long open keep-alive connections still get answers (with `Connection: close`). */
  readonly drainWindowMs: number;
  /** After this long the process exits non-zero, whatever is still open. */
  readonly forceExitMs: number;
  readonly logger: Logger;
  /** Ends the process. @default process.exit */
  readonly exit?: (code: number) => void;
}

export interface GracefulShutdown {
  /** First call starts the drain; a second call (a second signal) exits 1 at once. */
  begin(reason: string): void;
  /** True once `begin` has been called. */
  readonly draining: boolean;
}

type Phase = 'serving' | 'draining' | 'closing' | 'done';

/**
 * Drains `server` on `begin()`:
 * 1. stop accepting connections, but keep open keep-alive connections: a
 *    request that arrives on one is answered, with `Connection: close`
 *    (`http.Server#close` would close idle ones at once and reset a client
 *    that is sending at that moment);
 * 2. when the drain window ends, close the connections that are idle; busy
 *    ones close as soon as their response is done;
 * 3. exit 0 when the last connection is gone, or 1 when `forceExitMs` passes.
 *
 * Call it right after creating the server, before it accepts connections.
 */
export function createGracefulShutdown(
  server: Server,
  options: GracefulShutdownOptions,
): GracefulShutdown {
  const { drainWindowMs, forceExitMs, logger, exit = (code) => process.exit(code) } = options;
  const inFlight = new Map<Socket, Set<ServerResponse>>();
  const timers: NodeJS.Timeout[] = [];
  let phase: Phase = 'serving';

  server.on('connection', (socket: Socket) => {
    inFlight.set(socket, new Set());
    socket.once('close', () => inFlight.delete(socket));
  });

  // Prepended so that it runs before the app writes (and sends) the headers.
  server.prependListener('request', (req, res: ServerResponse) => {
    const socket = req.socket;
    let responses = inFlight.get(socket);
    if (responses === undefined) {
      responses = new Set();
      inFlight.set(socket, responses);
    }
    responses.add(res);
    if (phase !== 'serving') res.setHeader('Connection', 'close');
    const open = responses;
    res.once('close', () => {
      open.delete(res);
      // Past the window, a connection whose last response kept it alive is ended.
      if (phase === 'closing' && open.size === 0 && !socket.destroyed) socket.end();
    });
  });

  function finish(code: number) {
    if (phase === 'done') return;
    phase = 'done';
    for (const timer of timers) clearTimeout(timer);
    exit(code);
  }

  function closeIdleConnections() {
    phase = 'closing';
    let closed = 0;
    for (const [socket, responses] of inFlight) {
      if (responses.size === 0) {
        socket.destroy();
        closed += 1;
      }
    }
    logger.info({ closedIdle: closed, busy: inFlight.size - closed }, 'drain window over');
  }

  return {
    get draining() {
      return phase !== 'serving';
    },
    begin(reason) {
      if (phase !== 'serving') {
        logger.warn({ reason }, 'second shutdown request, exiting now');
        finish(1);
        return;
      }
      phase = 'draining';
      logger.info(
        { reason, drainWindowMs, forceExitMs, openConnections: inFlight.size },
        'shutdown started',
      );
      for (const responses of inFlight.values()) {
        for (const res of responses) if (!res.headersSent) res.setHeader('Connection', 'close');
      }
      timers.push(setTimeout(closeIdleConnections, drainWindowMs));
      timers.push(
        setTimeout(() => {
          logger.error({ openConnections: inFlight.size }, 'shutdown timed out');
          finish(1);
        }, forceExitMs),
      );
      // net.Server#close stops listening and calls back once every connection
      // is gone, without http.Server#close's closing of idle connections.
      NetServer.prototype.close.call(server, () => {
        logger.info('shutdown complete');
        finish(0);
      });
    },
  };
}
