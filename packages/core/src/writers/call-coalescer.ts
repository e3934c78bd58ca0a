interface Pending<T> {
  readonly item: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Gathers the items of calls made in the same turn of the event loop (e.g. 10,000 concurrent `insertMetric`
 * calls) into one write, so that they cost one batch instead of one each. Every caller's promise settles with its
 * own item's fate: when the shared write fails, the items are written again one by one, so one bad item cannot
 * fail the others.
 * @example const inserts = new CallCoalescer((records) => db.insertMetrics(records)); await inserts.add(record);
 */
export class CallCoalescer<T> {
  private pending: Pending<T>[] = [];

  constructor(private readonly writeAll: (items: T[]) => Promise<void>) {}

  /** Queues `item` for the write of this turn; resolves once it is committed. */
  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.pending.length === 0) queueMicrotask(() => this.flush());
      this.pending.push({ item, resolve, reject });
    });
  }

  private flush(): void {
    const entries = this.pending;
    this.pending = [];
    this.writeAll(entries.map((e) => e.item)).then(
      () => {
        for (const e of entries) e.resolve();
      },
      (error: unknown) => {
        if (entries.length === 1) entries[0]?.reject(error);
        else for (const e of entries) this.writeAll([e.item]).then(e.resolve, e.reject);
      },
    );
  }
}
