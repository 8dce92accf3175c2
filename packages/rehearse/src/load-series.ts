/** One second of the production load, as the release report draws it. */
export interface LoadSecond {
  /** ISO time of the second's start. */
  readonly at: string;
  readonly requests: number;
  /** Non-2xx answers, connection errors, timeouts. */
  readonly failed: number;
  /** Latency percentiles of the answered requests (nearest rank), or null when none was answered. */
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/** The production listener's weights from a moment on: percent per task set. */
export interface TrafficPoint {
  readonly at: string;
  readonly shares: Readonly<Record<string, number>>;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/**
 * Every answer of the load, kept per second of the wall clock: counts, and the
 * latencies of the answered requests for their percentiles. At the rehearsal's
 * rates (tens of requests per second for a few minutes) that is a few
 * thousand numbers.
 */
export class LoadSeries {
  private readonly buckets = new Map<
    number,
    { requests: number; failed: number; latencies: number[] }
  >();

  /** An answer (or a failure, with or without a latency) at epoch milliseconds `atMs`. */
  add(atMs: number, ok: boolean, latencyMs?: number): void {
    const second = Math.floor(atMs / 1000);
    let bucket = this.buckets.get(second);
    if (!bucket) this.buckets.set(second, (bucket = { requests: 0, failed: 0, latencies: [] }));
    bucket.requests++;
    if (!ok) bucket.failed++;
    if (latencyMs !== undefined && Number.isFinite(latencyMs)) bucket.latencies.push(latencyMs);
  }

  /** Each second from the first answer to the last, quiet seconds included (as zero). */
  seconds(): LoadSecond[] {
    const keys = [...this.buckets.keys()];
    if (keys.length === 0) return [];
    const first = Math.min(...keys);
    const last = Math.max(...keys);
    const out: LoadSecond[] = [];
    for (let second = first; second <= last; second++) {
      const bucket = this.buckets.get(second);
      const sorted = [...(bucket?.latencies ?? [])].sort((a, b) => a - b);
      out.push({
        at: new Date(second * 1000).toISOString(),
        requests: bucket?.requests ?? 0,
        failed: bucket?.failed ?? 0,
        p50Ms: percentile(sorted, 50),
        p99Ms: percentile(sorted, 99),
      });
    }
    return out;
  }
}

/** What a rehearsal records for its report, filled in as it runs. */
export interface RehearsalRecording {
  /** Production's weights each time they changed. */
  readonly traffic: TrafficPoint[];
  /** The load second by second, once it stopped. */
  load: LoadSecond[];
}
