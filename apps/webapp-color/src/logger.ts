import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * JSON lines on stdout (the container's root filesystem is read-only, and
 * awslogs reads stdout). Synchronous writes: a line is never lost on exit.
 */
export function createLogger(destination?: DestinationStream): Logger {
  return pino(
    {
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
