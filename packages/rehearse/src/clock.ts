/** Time as the rehearsal reads it: real, or a fake in the unit tests that moves only when slept on. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A wait ran out: names what it waited for and for how long. */
export class WaitTimeoutError extends Error {
  constructor(
    readonly waitingFor: string,
    readonly timeoutSeconds: number,
  ) {
    super(`waited ${timeoutSeconds} s for ${waitingFor}`);
    this.name = 'WaitTimeoutError';
  }
}

export interface WaitOptions {
  /** What the wait is for, as its timeout error names it ("the original task set to be healthy"). */
  readonly waitingFor: string;
  /** How long the condition may stay false. */
  readonly timeoutMs: number;
  /** The pause between two checks. @default 250 */
  readonly intervalMs?: number;
  /** @default the real clock */
  readonly clock?: Clock;
  /** The clock time the timeout counts from, when the wait began before the call. @default now */
  readonly since?: number;
}

/**
 * Checks `condition` until it holds, pausing `intervalMs` between checks,
 * and throws a {@link WaitTimeoutError} when it still does not hold once
 * the timeout has passed. The condition is checked before the timeout, so a
 * last check always happens; an error it throws ends the wait with that error.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: WaitOptions,
): Promise<void> {
  const clock = options.clock ?? realClock;
  const since = options.since ?? clock.now();
  for (;;) {
    if (await condition()) return;
    if (clock.now() - since > options.timeoutMs) {
      throw new WaitTimeoutError(options.waitingFor, options.timeoutMs / 1000);
    }
    await clock.sleep(options.intervalMs ?? 250);
  }
}
