import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { createApp } from './app.js';
import { readConfig } from './config.js';
import { createLogger } from './logger.js';
import { createGracefulShutdown } from './shutdown.js';

// Longer than the ALB's 60 s idle timeout, so the load balancer, not node,
// closes idle connections (otherwise it may reuse one node just closed: 502).
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

const logger = createLogger();

let config;
try {
  config = readConfig(process.argv.slice(2), process.env);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${message}\n`);
  logger.fatal(message);
  process.exit(1);
}

const { color, version, port } = config;
const server = createServer(createApp({ color: color.name, version, logger }));
server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

const shutdown = createGracefulShutdown(server, { ...webappColor.shutdown, logger });
process.on('SIGTERM', () => shutdown.begin('SIGTERM'));
process.on('SIGINT', () => shutdown.begin('SIGINT'));

server.on('error', (error) => {
  logger.fatal({ err: error }, 'server error');
  process.exit(1);
});

server.listen(port, () => {
  const { port: boundPort } = server.address() as AddressInfo;
  logger.info(
    { color: color.name, colorSource: color.source, version, port: boundPort },
    'server started',
  );
});
