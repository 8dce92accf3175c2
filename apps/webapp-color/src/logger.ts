import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** pino's levels, most severe first; `silent` turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** A destination that holds lines back, and can write them all out before the process ends. */
export interface BufferedDestination extends DestinationStream {
  /** Writes every held line now, synchronously (safe in an `exit` handler). */
  flushSync(): void;
}

// Lines are held until 4 KiB are collected (about 25 request lines) or
// 250 ms pass, and then written with one synchronous write(2). Under load,
// that is one system call per ~25 lines instead of one per line; idle, a
// line waits at most the interval. Synchronous writes mean no write is ever
// in flight, so `flushSync` at exit leaves nothing behind and keeps the order
// (pino's `sync: false` would hand a chunk to libuv's thread pool, which
// `process.exit` does not wait for).
const HOLD_BYTES = 4096;
const HOLD_MS = 250;

/** JSON lines on stdout: the container's root filesystem is read-only, and awslogs reads stdout. */
export function stdoutDestination(): BufferedDestination {
  return pino.destination({
    dest: 1,
    sync: true,
    minLength: HOLD_BYTES,
    periodicFlush: HOLD_MS,
  });
}

export interface LoggerOptions {
  /** @default 'info' */
  readonly level?: LogLevel;
  /** @default stdoutDestination() */
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const { level = 'info', destination = stdoutDestination() } = options;
  return pino(
    {
      level,
      formatters: { level: (label) => ({ level: label }) },
      timestamp: isoTimeOncePerMillisecond(),
    },
    destination,
  );
}

/**
 * pino's `isoTime`, formatting the date once per millisecond instead of once
 * per line: under load many lines share one, and `toISOString` was the
 * largest part of writing a request line after the write itself.
 */
function isoTimeOncePerMillisecond(): () => string {
  let formattedAt = Number.NaN;
  let field = '';
  return () => {
    const now = Date.now();
    if (now !== formattedAt) {
      formattedAt = now;
      field = `,"time":"${new Date(now).toISOString()}"`;
    }
    return field;
  };
}
