import type { EventEmitter } from 'node:events';
import autocannon from 'autocannon';
import { waitUntil } from './clock.js';
import { LoadSeries } from './load-series.js';

/** What the load saw during one phase of the release. */
export interface PhaseCount {
  requests: number;
  /** Non-2xx answers plus connection errors and timeouts. */
  failed: number;
  /** The first few reasons, for the report. */
  reasons: string[];
}

export interface LoadOptions {
  readonly url: string;
  /** Requests per second across all connections. */
  readonly rate: number;
  readonly connections: number;
  /** Seconds a request may take before it counts as failed. @default 10 */
  readonly timeoutSeconds?: number;
}

/**
 * Steady traffic on the production listener (autocannon, keep-alive
 * connections like a browser's), counting every answer under the phase
 * that is current when it arrives. A request that never gets an answer
 * counts too: one whose connection closed under it (autocannon reconnects
 * silently), one that times out, and one still unanswered when the load
 * stops, after waiting up to the timeout (a task killed mid-request leaves
 * its requests hanging, as users' would).
 */
export class SteadyLoad {
  private phase = 'before';
  readonly phases = new Map<string, PhaseCount>();
  /** Every answer and failure, second by second, for the release report. */
  readonly series = new LoadSeries();
  private instance: autocannon.Instance | undefined;
  private finished: Promise<void> | undefined;
  /** Per connection: whether a request is waiting for its answer (one at a time: no pipelining). */
  private readonly waiting: (() => boolean)[] = [];

  constructor(private readonly options: LoadOptions) {}

  /** Answers from now on count under `name`. */
  enter(name: string): void {
    this.phase = name;
  }

  private count(): PhaseCount {
    let entry = this.phases.get(this.phase);
    if (!entry) this.phases.set(this.phase, (entry = { requests: 0, failed: 0, reasons: [] }));
    return entry;
  }

  private fail(reason: string): void {
    this.series.add(Date.now(), false);
    const entry = this.count();
    entry.requests++;
    entry.failed++;
    if (entry.reasons.length < 5 && !entry.reasons.includes(reason)) entry.reasons.push(reason);
  }

  start(): void {
    let done = () => {};
    this.finished = new Promise((resolve) => (done = resolve));
    const instance = autocannon(
      {
        url: this.options.url,
        connections: this.options.connections,
        overallRate: this.options.rate,
        // Until stop(): a rehearsal's length is not known in advance.
        duration: 24 * 60 * 60,
        timeout: this.options.timeoutSeconds ?? 10,
        setupClient: (client) => this.watch(client),
      },
      () => done(),
    );
    this.instance = instance;
    instance.on(
      'response',
      (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
        if (statusCode >= 200 && statusCode < 300) {
          this.count().requests++;
          this.series.add(Date.now(), true, responseTimeMs);
        } else {
          this.fail(`HTTP ${statusCode}`);
        }
      },
    );
    instance.on('reqError', (error: Error) => this.fail(error.message));
  }

  /**
   * Follows one connection's request (autocannon sends one at a time on it).
   * A new request while one waits means the connection was replaced under
   * it: after a timeout (counted by its own event, emitted after the new
   * request), or silently after the server closed it, a loss counted here.
   */
  private watch(client: EventEmitter): void {
    let waiting = false;
    let replaced = false;
    client.on('request', () => {
      if (waiting) {
        replaced = true;
        setImmediate(() => {
          if (replaced) this.fail('no answer (connection closed)');
          replaced = false;
        });
      }
      waiting = true;
    });
    client.on('timeout', () => (replaced = false));
    client.on('response', () => (waiting = false));
    client.on('connError', () => (waiting = false));
    this.waiting.push(() => waiting);
  }

  async stop(): Promise<void> {
    if (!this.instance) return;
    await waitUntil(() => !this.waiting.some((waiting) => waiting()), {
      waitingFor: 'the answers still on their way',
      timeoutMs: ((this.options.timeoutSeconds ?? 10) + 1) * 1000,
      intervalMs: 20,
    }).catch(() => undefined);
    // What never came is counted as failed.
    for (const waiting of this.waiting) if (waiting()) this.fail('no answer before the end');
    this.instance.stop();
    await this.finished;
    this.instance = undefined;
  }

  totals(): { requests: number; failed: number } {
    let requests = 0;
    let failed = 0;
    for (const entry of this.phases.values()) {
      requests += entry.requests;
      failed += entry.failed;
    }
    return { requests, failed };
  }
}
