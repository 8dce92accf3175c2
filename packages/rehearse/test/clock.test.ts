import { describe, expect, it } from 'vitest';
import { waitUntil, WaitTimeoutError } from '../src/clock.js';
import { fakeClock } from './support/release-fakes.js';

describe('waitUntil', () => {
  it('checks until the condition holds, pausing the interval between checks', async () => {
    const clock = fakeClock();
    let checks = 0;
    await waitUntil(() => ++checks === 4, {
      waitingFor: 'the fourth check',
      timeoutMs: 10_000,
      intervalMs: 100,
      clock,
    });
    expect(checks).toBe(4);
    expect(clock.elapsed()).toBe(300);
  });

  it('does not sleep when the condition holds at once', async () => {
    const clock = fakeClock();
    await waitUntil(() => Promise.resolve(true), { waitingFor: 'x', timeoutMs: 0, clock });
    expect(clock.elapsed()).toBe(0);
  });

  it('fails naming what it waited for once the timeout has passed, after a last check', async () => {
    const clock = fakeClock();
    let checks = 0;
    const waiting = waitUntil(
      () => {
        checks++;
        return false;
      },
      { waitingFor: 'blue to be healthy', timeoutMs: 1_000, clock },
    );
    await expect(waiting).rejects.toThrow(new WaitTimeoutError('blue to be healthy', 1));
    await expect(waiting).rejects.toThrow('waited 1 s for blue to be healthy');
    // Checks at 0, 250, … 1000 and one past the timeout, with the default interval.
    expect(checks).toBe(6);
    expect(clock.elapsed()).toBe(1_250);
  });

  it('counts the timeout from `since` when the wait began before the call', async () => {
    const clock = fakeClock();
    const since = clock.now();
    await clock.sleep(900);
    let checks = 0;
    const waiting = waitUntil(() => ++checks > 100, {
      waitingFor: 'x',
      timeoutMs: 1_000,
      since,
      clock,
    });
    await expect(waiting).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(checks).toBe(2);
  });

  it("ends with the condition's own error, without waiting for the timeout", async () => {
    const clock = fakeClock();
    const waiting = waitUntil(
      () => {
        throw new Error('the task stopped');
      },
      { waitingFor: 'x', timeoutMs: 60_000, clock },
    );
    await expect(waiting).rejects.toThrow('the task stopped');
    expect(clock.elapsed()).toBe(0);
  });
});
