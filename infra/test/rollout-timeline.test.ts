import { readFileSync } from 'node:fs';
import { webappColor } from '@webapp-color/deploy-specs/definition';
import { describe, expect, it } from 'vitest';
import {
  renderRolloutTimeline,
  rolloutTimeline,
  withRolloutTimeline,
} from '../lib/rollout-timeline.js';
import { configWith, stagingConfig } from './support.js';

describe('rollout timeline', () => {
  it('is computed from the configuration and the definition, next to the original Terraform setup values', () => {
    const rows = rolloutTimeline(stagingConfig, webappColor);
    expect(rows.map((r) => [r.step.split(' (')[0], r.ours, r.original])).toEqual([
      ['Green target healthy', '2 × 10 s = 20 s on /healthz', '3 × 30 s = 90 s on /'],
      [
        'Smoke test on the test listener',
        expect.stringContaining('port 9000'),
        'none (no test listener)',
      ],
      ['Production traffic shift', '100 % at once', '100 % at once'],
      ['Production check after the shift', expect.stringContaining('port 443'), 'none'],
      ['Blue targets deregistered', '10 s (app exits by 10 s after SIGTERM)', '300 s'],
      ['Blue task set kept for rollback', '5 min', '5 min'],
      [
        'Green found unhealthy → rollback',
        '2 × 10 s = 20 s; alarms after 2 × 1 min',
        '90 s; no alarms (rollback on failure only)',
      ],
      ['Green registered → blue stopped', '≈ 330 s (5.5 min)', '≈ 690 s (11.5 min)'],
    ]);
  });

  it('follows a linear strategy', () => {
    const config = configWith((c) => ({
      ...c,
      deployment: { strategy: { type: 'linear', percent: 10, intervalMinutes: 1 } },
    }));
    expect(rolloutTimeline(config, webappColor)[2]!.ours).toBe(
      '10 % every 1 min (10 steps): 9 min',
    );
  });

  it('is the table in infra/docs/deployments.md (run `pnpm docs:timeline` when this fails)', () => {
    const readme = readFileSync(new URL('../docs/deployments.md', import.meta.url), 'utf8');
    const table = renderRolloutTimeline('staging', stagingConfig, webappColor);
    expect(withRolloutTimeline(readme, table)).toBe(readme);
  });
});
