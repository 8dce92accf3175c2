import type { Release } from './history.js';

/**
 * The four DORA figures over a window, from the releases' history. The
 * definitions are DORA's (https://dora.dev/guides/dora-metrics-four-keys/);
 * how each is read from CodePipeline and CodeDeploy is in the README.
 */
export interface DoraFigures {
  readonly windowDays: number;
  /** Releases that reached production traffic and stayed, per day of the window. */
  readonly deploymentFrequency: {
    readonly count: number;
    readonly perDay: number;
    readonly perWeek: number;
  };
  /**
   * Median seconds from the push (pipeline start) to production traffic on
   * the release; `unavailable` says why there is none where nothing
   * records the push (an environment without a pipeline).
   */
  readonly leadTimeForChanges: {
    readonly medianSeconds?: number;
    readonly count: number;
    readonly unavailable?: string;
  };
  /** Releases rolled back after reaching production ÷ releases that reached production. */
  readonly changeFailureRate: {
    readonly rate?: number;
    readonly failed: number;
    readonly total: number;
  };
  /** Median seconds from production traffic on a failing release to traffic back on the one before. */
  readonly timeToRestoreService: { readonly medianSeconds?: number; readonly count: number };
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

export function doraFigures(
  releases: readonly Release[],
  windowHours: number,
  leadTimeUnavailable?: string,
): DoraFigures {
  const windowDays = windowHours / 24;
  const deployed = releases.filter((r) => r.outcome === 'deployed');
  const rolledBack = releases.filter((r) => r.outcome === 'rolled-back');
  const leadTimes = deployed.flatMap((r) =>
    r.productionAt ? [seconds(r.start, r.productionAt)] : [],
  );
  const restoreTimes = rolledBack.flatMap((r) =>
    r.failedInProductionAt && r.restoredAt ? [seconds(r.failedInProductionAt, r.restoredAt)] : [],
  );
  const reachedProduction = deployed.length + rolledBack.length;
  return {
    windowDays,
    deploymentFrequency: {
      count: deployed.length,
      perDay: deployed.length / windowDays,
      perWeek: (deployed.length / windowDays) * 7,
    },
    leadTimeForChanges: leadTimeUnavailable
      ? { count: 0, unavailable: leadTimeUnavailable }
      : { medianSeconds: median(leadTimes), count: leadTimes.length },
    changeFailureRate: {
      rate: reachedProduction === 0 ? undefined : rolledBack.length / reachedProduction,
      failed: rolledBack.length,
      total: reachedProduction,
    },
    timeToRestoreService: { medianSeconds: median(restoreTimes), count: restoreTimes.length },
  };
}

/**
 * Release duration (pipeline start to end; for an ECS service deployment,
 * its start to its finish) and lead time (push to production traffic), in
 * seconds.
 */
export function releaseTimings(release: Release): {
  durationSeconds?: number;
  leadTimeSeconds?: number;
} {
  return {
    durationSeconds: release.end ? seconds(release.start, release.end) : undefined,
    leadTimeSeconds: release.productionAt
      ? seconds(release.start, release.productionAt)
      : undefined,
  };
}
