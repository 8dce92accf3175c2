import autocannon from 'autocannon';

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
}

/**
 * Steady traffic on the production listener (autocannon, keep-alive
 * connections like a browser's), counting every answer under the phase
 * that is current when it arrives.
 */
export class SteadyLoad {
  private phase = 'before';
  readonly phases = new Map<string, PhaseCount>();
  private instance: autocannon.Instance | undefined;
  private finished: Promise<void> | undefined;

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
        timeout: 10,
      },
      () => done(),
    );
    this.instance = instance;
    instance.on('response', (_client: unknown, statusCode: number) => {
      if (statusCode >= 200 && statusCode < 300) this.count().requests++;
      else this.fail(`HTTP ${statusCode}`);
    });
    instance.on('reqError', (error: Error) => this.fail(error.message));
  }

  async stop(): Promise<void> {
    if (!this.instance) return;
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
