/** A reading of a monotonic row counter at a time (ms). */
interface Sample {
  readonly at: number;
  readonly rows: number;
}

/**
 * Ingest rate in rows per second over a sliding window, from samples of a monotonic "rows written" counter
 * (core's `writerStats().rowsWritten`). Sample it on a timer and when asked; the rate is null until two
 * samples at least `minSpanMs` apart exist.
 * @example
 * const meter = new IngestRateMeter(() => db.writerStats().rowsWritten);
 * meter.sample(); // ... later
 * meter.rate(); // e.g. 1250.5
 */
export class IngestRateMeter {
  private samples: Sample[] = [];
  private readonly read: () => number;
  private readonly windowMs: number;
  private readonly minSpanMs: number;
  private readonly now: () => number;

  constructor(
    read: () => number,
    options: { windowMs?: number; minSpanMs?: number; now?: () => number } = {},
  ) {
    this.read = read;
    this.windowMs = options.windowMs ?? 60_000;
    this.minSpanMs = options.minSpanMs ?? 1_000;
    this.now = options.now ?? Date.now;
  }

  /** Records the counter now and forgets samples older than the window (keeping one as the base). */
  sample(): void {
    const at = this.now();
    this.samples.push({ at, rows: this.read() });
    const cutoff = at - this.windowMs;
    while (this.samples.length > 2 && (this.samples[1]?.at ?? at) <= cutoff) this.samples.shift();
  }

  /** Rows per second between the oldest sample in the window and a fresh one; null without enough history. */
  rate(): number | null {
    this.sample();
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (first === undefined || last === undefined || last.at - first.at < this.minSpanMs) return null;
    return Math.max(0, ((last.rows - first.rows) * 1000) / (last.at - first.at));
  }
}
