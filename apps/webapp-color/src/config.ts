import { parseArgs } from 'node:util';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { chooseColor, type ChosenColor } from './colors.js';

/** Everything the process decides once at start-up. */
export interface ServerConfig {
  readonly color: ChosenColor;
  /** `APP_VERSION`; the image build sets it to the commit id. */
  readonly version: string;
  /** `PORT`, else the container port of the delivery definition; 0 picks a free port. */
  readonly port: number;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** Thrown for a malformed `PORT`. */
export class InvalidPortError extends Error {
  constructor(received: string) {
    super(`PORT must be an integer between 0 and 65535. Received '${received}'`);
    this.name = 'InvalidPortError';
  }
}

/**
 * Reads `--color`, `APP_COLOR`, `APP_VERSION` and `PORT`. Throws
 * `UnsupportedColorError`/`InvalidPortError` (and node's own error for an
 * unknown flag) so that `server.ts` exits before listening.
 */
export function readConfig(argv: readonly string[], env: Environment): ServerConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: { color: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  return {
    color: chooseColor({ flag: values.color, env: env.APP_COLOR }),
    version: nonEmpty(env.APP_VERSION) ?? 'dev',
    port: parsePort(nonEmpty(env.PORT)),
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
