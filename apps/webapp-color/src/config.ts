import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { chooseColor, type ChosenColor } from './colors.js';
import { LOG_LEVELS, type LogLevel } from './logger.js';

/** Everything the process decides once at start-up. */
export interface ServerConfig {
  readonly color: ChosenColor;
  /** `APP_VERSION`; the image build sets it to the commit id. */
  readonly version: string;
  /** `PORT`, else the container port of the delivery definition; 0 picks a free port. */
  readonly port: number;
  /** `LOG_LEVEL`; `warn` and above leave out the per-request lines. */
  readonly logLevel: LogLevel;
  /**
   * `--host`, the address to listen on. `pnpm dev` and `pnpm start` pass
   * 127.0.0.1; the image passes nothing, so the container port mapping decides.
   * @default undefined: every interface
   */
  readonly host?: string;
}

/**
 * Every environment variable the app reads. Turborepo's strict env mode
 * hands a task only the variables it is told about, so `dev` and `start` in
 * this package's turbo.json pass exactly these through (a test compares).
 */
export const ENVIRONMENT_VARIABLES = ['APP_COLOR', 'APP_VERSION', 'PORT', 'LOG_LEVEL'] as const;

export type Environment = Readonly<Record<string, string | undefined>>;

export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/** Thrown for a malformed `PORT`. */
export class InvalidPortError extends Error {
  constructor(received: string) {
    super(`PORT must be an integer between 0 and 65535. Received '${received}'`);
    this.name = 'InvalidPortError';
  }
}

/** Thrown for a `--host` that is not an IP address. */
export class InvalidHostError extends Error {
  constructor(received: string) {
    super(
      `--host must be an IPv4 or IPv6 address, such as 127.0.0.1 or ::1. Received '${received}'`,
    );
    this.name = 'InvalidHostError';
  }
}

/** Thrown for a `LOG_LEVEL` pino does not know (case-sensitive, as pino is). */
export class InvalidLogLevelError extends Error {
  constructor(received: string) {
    super(`LOG_LEVEL must be one of ${LOG_LEVELS.join(',')}. Received '${received}'`);
    this.name = 'InvalidLogLevelError';
  }
}

/**
 * Reads `--color`, `--host` and the variables of `ENVIRONMENT_VARIABLES`. Throws
 * `UnsupportedColorError`, `InvalidPortError`, `InvalidLogLevelError`,
 * `InvalidHostError` (and
 * node's own error for an unknown flag) so that the server exits before
 * listening.
 */
export function readConfig(argv: readonly string[], env: Environment): ServerConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: { color: { type: 'string' }, host: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  return {
    color: chooseColor({ flag: values.color, env: env.APP_COLOR }),
    version: nonEmpty(env.APP_VERSION) ?? 'dev',
    port: parsePort(nonEmpty(env.PORT)),
    logLevel: parseLogLevel(nonEmpty(env.LOG_LEVEL)),
    ...(values.host === undefined ? {} : { host: parseHost(values.host) }),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return webappColor.container.port;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidPortError(value);
  return port;
}

function parseLogLevel(value: string | undefined): LogLevel {
  if (value === undefined) return DEFAULT_LOG_LEVEL;
  const level = LOG_LEVELS.find((known) => known === value);
  if (level === undefined) throw new InvalidLogLevelError(value);
  return level;
}

function parseHost(value: string): string {
  if (isIP(value) === 0) throw new InvalidHostError(value);
  return value;
}
