import { createLogger, type Logger } from '../../src/logger.js';

export interface CapturedLogs {
  readonly logger: Logger;
  /** Every line written so far, parsed (each must be JSON). */
  entries(): Record<string, unknown>[];
}

/** A real pino logger whose JSON lines land in memory. */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const logger = createLogger({
    write(line: string) {
      lines.push(line);
    },
  });
  return {
    logger,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
