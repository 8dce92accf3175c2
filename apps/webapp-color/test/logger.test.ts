import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureLogs } from './helpers/logs.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('createLogger', () => {
  it('stamps each line with the ISO time of its own millisecond', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const logs = captureLogs();
    vi.setSystemTime(new Date('2026-11-27T08:00:00.001Z'));
    logs.logger.info('first');
    logs.logger.info('second, same millisecond');
    vi.setSystemTime(new Date('2026-11-27T08:00:00.002Z'));
    logs.logger.info('third');
    vi.setSystemTime(new Date('2026-11-28T00:00:00.000Z'));
    logs.logger.warn('next day');
    expect(logs.entries().map(({ time, level }) => ({ time, level }))).toEqual([
      { time: '2026-11-27T08:00:00.001Z', level: 'info' },
      { time: '2026-11-27T08:00:00.001Z', level: 'info' },
      { time: '2026-11-27T08:00:00.002Z', level: 'info' },
      { time: '2026-11-28T00:00:00.000Z', level: 'warn' },
    ]);
  });

  it('writes the levels at or above its own', () => {
    const logs = captureLogs('warn');
    logs.logger.debug('no');
    logs.logger.info('no');
    logs.logger.warn('yes');
    logs.logger.error('yes');
    expect(logs.entries().map(({ level }) => level)).toEqual(['warn', 'error']);
  });
});
