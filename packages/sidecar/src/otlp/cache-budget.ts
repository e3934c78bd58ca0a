/**
 * Decides whether a per-request lookup cache still pays for itself: after `warmup` lookups it stays on only
 * while at least one lookup in `ratio` hits (a request whose attribute sets never repeat then skips the
 * hashing and the bookkeeping).
 * @example
 * const budget = new CacheBudget();
 * if (budget.enabled) { const hit = cache.get(key); budget.record(hit !== undefined); }
 */
export class CacheBudget {
  private lookups = 0;
  private hits = 0;

  constructor(
    private readonly warmup = 128,
    private readonly ratio = 8,
  ) {}

  /** Whether lookups are still worth making. */
  get enabled(): boolean {
    return this.lookups < this.warmup || this.hits * this.ratio >= this.lookups;
  }

  /** Counts one lookup. */
  record(hit: boolean): void {
    this.lookups++;
    if (hit) this.hits++;
  }
}
