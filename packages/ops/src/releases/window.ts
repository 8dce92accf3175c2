import { UsageError } from '../usage.js';

const UNIT_HOURS = { h: 1, d: 24, w: 24 * 7 } as const;
/** CodePipeline keeps 12 months of execution history. */
const MAX_HOURS = 366 * 24;

/** The window `--since 30d` names, in hours: `<n>h`, `<n>d` or `<n>w`. */
export function parseSince(value: string): { hours: number; label: string } {
  const match = /^(\d+)([hdw])$/.exec(value.trim());
  const hours = match ? Number(match[1]) * UNIT_HOURS[match[2] as keyof typeof UNIT_HOURS] : NaN;
  if (!match || hours < 1 || hours > MAX_HOURS) {
    throw new UsageError(
      `--since "${value}" is not a window: expected a whole number and h, d or w (hours, days, weeks) ` +
        'such as 12h, 30d or 8w, from 1h to 366d (CodePipeline keeps 12 months of history)',
    );
  }
  return { hours, label: value.trim() };
}
