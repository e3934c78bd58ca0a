import { QueryCapacityError } from '../plugin-api/errors.ts';

/**
 * Bounds how many queries run at once. Callers beyond the limit wait in a bounded queue; a full queue or a
 * wait longer than `waitMs` fails with `QueryCapacityError` (503 with `Retry-After`).
 * @example
 * const gate = new Semaphore(8, 64);
 * const release = await gate.acquire(5000);
 * try { await db.execute(q); } finally { release(); }
 */
export class Semaphore {
  private running = 0;
  private readonly queue: Array<{ grant: () => void }> = [];

  constructor(
    readonly limit: number,
    readonly maxQueued: number,
  ) {}

  /** Holders now. */
  get active(): number {
    return this.running;
  }

  /** Callers waiting now. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Waits for a slot; returns the function that gives it back (call it exactly once). */
  async acquire(waitMs: number): Promise<() => void> {
    if (this.running < this.limit) {
      this.running++;
      return this.releaser();
    }
    if (this.queue.length >= this.maxQueued) throw new QueryCapacityError(this.limit);
    await new Promise<void>((resolve, reject) => {
      const entry = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const i = this.queue.indexOf(entry);
        if (i >= 0) this.queue.splice(i, 1);
        reject(new QueryCapacityError(this.limit));
      }, waitMs);
      this.queue.push(entry);
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next.grant();
      else this.running--;
    };
  }
}
