import { realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { createApp } from './app.js';
import { readConfig, type ServerConfig } from './config.js';
import {
  createLogger,
  stdoutDestination,
  type BufferedDestination,
  type Logger,
} from './logger.js';
import type { RequestListener } from './request-log.js';
import { createGracefulShutdown, type GracefulShutdown } from './shutdown.js';

// Longer than the ALB's 60 s idle timeout, so the load balancer, not node,
// closes idle connections (otherwise it may reuse one node just closed: 502).
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export interface StartOptions {
  /**
   * What answers the requests, built with the process logger.
   * @default the webapp-color app (`createApp`)
   */
  readonly createListener?: (logger: Logger) => RequestListener;
  /** @default the delivery definition's `shutdown` timings */
  readonly shutdownTimings?: { readonly drainWindowMs: number; readonly forceExitMs: number };
}

export interface StartedServer {
  readonly server: Server;
  /** The bound port (useful with `port: 0`). */
  readonly port: number;
  readonly logger: Logger;
  readonly shutdown: GracefulShutdown;
}

/**
 * Everything the process does once its config is known: the logger on
 * stdout (flushed on every way out), the app, keep-alive timeouts, the
 * graceful shutdown on SIGTERM/SIGINT, and listening. Resolves once the
 * `server started` line is logged.
 */
export function start(config: ServerConfig, options: StartOptions = {}): Promise<StartedServer> {
  const destination = stdoutDestination();
  flushOnExit(destination);
  const logger = createLogger({ level: config.logLevel, destination });
  const { color, version, port, host } = config;
  const {
    createListener = (appLogger: Logger) =>
      createApp({ color: color.name, version, logger: appLogger }),
    shutdownTimings = webappColor.shutdown,
  } = options;

  const server = createServer(createListener(logger));
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  const shutdown = createGracefulShutdown(server, { ...shutdownTimings, logger });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      shutdown.begin(signal);
      // Held lines (and `shutdown started`) go out now, not at the next interval.
      destination.flushSync();
    });
  }

  server.on('error', (error) => {
    logger.fatal({ err: error }, 'server error');
    process.exit(1);
  });

  return new Promise((resolve) => {
    server.listen(port, host, () => {
      const { port: boundPort } = server.address() as AddressInfo;
      logger.info(
        {
          color: color.name,
          colorSource: color.source,
          version,
          port: boundPort,
          logLevel: config.logLevel,
        },
        'server started',
      );
      destination.flushSync();
      resolve({ server, port: boundPort, logger, shutdown });
    });
  });
}

/**
 * `exit` runs on process.exit (every path of the shutdown, a bad config),
 * on an uncaught exception and when the event loop empties; only SIGKILL
 * skips it.
 */
function flushOnExit(destination: BufferedDestination) {
  process.once('exit', () => destination.flushSync());
}

/** The entry point: reads argv and the environment, exits 1 on a bad value before listening. */
function main() {
  let config: ServerConfig;
  try {
    config = readConfig(process.argv.slice(2), process.env);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message}\n`);
    const destination = stdoutDestination();
    flushOnExit(destination);
    createLogger({ destination }).fatal(message);
    process.exit(1);
  }
  void start(config);
}

const entryScript = process.argv[1];
if (entryScript !== undefined && realpathSync(entryScript) === fileURLToPath(import.meta.url)) {
  main();
}
