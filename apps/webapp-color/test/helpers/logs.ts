import { createLogger, type Logger, type LogLevel } from '../../src/logger.js';

export interface CapturedLogs {
  readonly logger: Logger;
  /** Every line written so far, parsed (each must be JSON). */
  entries(): Record<string, unknown>[];
}

/** A real pino logger whose JSON lines land in memory. */
export function captureLogs(level?: LogLevel): CapturedLogs {
  const lines: string[] = [];
  const logger = createLogger({
    ...(level === undefined ? {} : { level }),
    destination: {
      write(line: string) {
        lines.push(line);
      },
    },
  });
  return {
    logger,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
