import type { DuckDBConnection } from '@duckdb/node-api';
import { ROLLUP_DIRTY } from '../catalog/rollup-tables.ts';
import { type MergeCounts, mergePending, rebuildDirty } from './level-merge.ts';
import { takePending } from './pending-step.ts';
import type { RollupLevel } from './rollup-levels.ts';
import { ORDER_PENDING_SQL } from './rollup-sql.ts';

/** A pending row (one point) costs a step far less than a dirty row (a bucket rebuilt from raw rows). */
const PENDING_PER_DIRTY = 4;
/**
 * The fewest pending rows a step takes (when that many are pending): a step reads every pending row's time to
 * choose its batch, so small batches over a large backlog would read it again and again.
 */
const MIN_PENDING_ROWS = 100_000;

/** Runs `fn` on a connection in turn with the writes (the group-commit writer's `exclusive`). */
export type ExclusiveRunner = (fn: (connection: DuckDBConnection) => Promise<void>) => Promise<void>;

/** Figures of the maintenance step, for monitoring. */
export interface RollupStats {
  /** Levels maintained, finest first. */
  levels: string[];
  /** Steps run (transactions committed). */
  steps: number;
  /** Dirty rows consumed. */
  consumed: number;
  /** Duration of the last step in milliseconds. */
  lastStepMs: number;
  /** Dirty rows a step takes at most now (adapted to keep steps short). */
  batchRows: number;
  /** Steps that failed (rolled back; their rows stay dirty). */
  failures: number;
  /** Level rows the pending rows were merged into (or inserted as), over all levels. */
  merged: number;
  /** Level buckets rebuilt from raw rows instead, because new points interleaved with stored ones. */
  rebuiltOnMerge: number;
}

/** Options of the maintenance step. */
export interface MaintainerOptions {
  /** A step aims to take no longer than this (default 250 ms); its batch adapts (from 5,000 to 200,000 rows). */
  targetStepMs?: number;
  /** Dirty rows the first step takes (default 50,000). */
  batchRows?: number;
}

/**
 * Keeps the rollup levels up to date. Each step, one transaction run in turn with the writes, takes a bounded
 * batch of pending rows (the points commits copied into `rollup_pending_*`), merges their aggregates into the
 * level rows and deletes them; once none is pending, it takes a batch of `rollup_dirty` rows (imports, rebuilds,
 * new levels), re-aggregates their buckets from raw rows and deletes them. A crash mid-step rolls it all back
 * (the rows stay pending or dirty). Readers treat pending and dirty buckets as raw, so answers are exact at all
 * times.
 * @example const m = new RollupMaintainer((fn) => writer.exclusive(fn), levels); await m.catchUp();
 */
export class RollupMaintainer {
  private steps = 0;
  private consumed = 0;
  private lastStepMs = 0;
  private failures = 0;
  private merged = 0;
  private rebuiltOnMerge = 0;
  private batchRows: number;
  private readonly targetStepMs: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly exclusive: ExclusiveRunner,
    readonly levels: readonly RollupLevel[],
    options: MaintainerOptions = {},
  ) {
    this.targetStepMs = options.targetStepMs ?? 250;
    this.batchRows = options.batchRows ?? 50_000;
  }

  /**
   * One step: consumes a batch of pending rows, or else of dirty rows. Returns how many it consumed (0: caught up).
   * @throws whatever DuckDB throws (the step is rolled back).
   */
  async step(): Promise<number> {
    if (this.levels.length === 0) return 0;
    let consumed = 0;
    const merges = { merged: 0, rebuilt: 0 };
    const started = performance.now();
    await this.exclusive(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        consumed = await this.stepRows(c, merges);
        await c.run('COMMIT');
      } catch (error) {
        await c.run('ROLLBACK').catch(() => undefined);
        this.failures++;
        throw error;
      }
    });
    if (consumed === 0) return 0;
    this.merged += merges.merged;
    this.rebuiltOnMerge += merges.rebuilt;
    this.steps++;
    this.consumed += consumed;
    this.lastStepMs = performance.now() - started;
    this.adapt(consumed);
    return consumed;
  }

  /** Runs steps until no dirty row is left; returns the rows consumed. Concurrent calls share one run. */
  catchUp(): Promise<number> {
    const run = (this.running ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        let total = 0;
        for (let n = await this.step(); n > 0; n = await this.step()) total += n;
        return total;
      });
    this.running = run;
    return run;
  }

  /** Catches up every `intervalMs` in the background (errors are counted in `failures`, retried next time). */
  start(intervalMs: number): void {
    this.stop();
    const tick = () => {
      this.catchUp()
        .catch(() => undefined)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, intervalMs).unref();
  }

  /** Stops the background steps and waits for one in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Current figures. */
  stats(): RollupStats {
    return {
      levels: this.levels.map((l) => l.label),
      steps: this.steps,
      consumed: this.consumed,
      lastStepMs: this.lastStepMs,
      batchRows: this.batchRows,
      failures: this.failures,
      merged: this.merged,
      rebuiltOnMerge: this.rebuiltOnMerge,
    };
  }

  /**
   * The work of one step, inside its transaction: a batch of pending rows merged into every level, or, once none
   * is pending, a batch of dirty rows rebuilt from raw rows (a rebuild then covers every pending row of its
   * buckets: pending rows are all older than any rebuild that follows them). Returns the rows consumed; adds to
   * `merges` (counted once the step commits).
   */
  private async stepRows(c: DuckDBConnection, merges: MergeCounts): Promise<number> {
    const coarsest = this.levels.at(-1) as RollupLevel;
    const pending = await takePending(
      c,
      coarsest,
      Math.max(MIN_PENDING_ROWS, this.batchRows * PENDING_PER_DIRTY),
    );
    if (pending > 0) {
      for (const sql of ORDER_PENDING_SQL) await c.run(sql);
      for (const level of this.levels) {
        const counts = await mergePending(c, level);
        merges.merged += counts.merged;
        merges.rebuilt += counts.rebuilt;
      }
      return pending;
    }
    await c.run(
      `CREATE OR REPLACE TEMP TABLE rollup_step AS SELECT rowid AS rid, * FROM main.${ROLLUP_DIRTY.name} ORDER BY bucket LIMIT ${this.batchRows}`,
    );
    const count = await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM temp.rollup_step');
    const dirty = Number(count.getRowObjectsJS()[0]?.n ?? 0);
    if (dirty === 0) return 0;
    for (const level of this.levels) await rebuildDirty(c, level);
    await c.run(`DELETE FROM main.${ROLLUP_DIRTY.name} WHERE rowid IN (SELECT rid FROM temp.rollup_step)`);
    return dirty;
  }

  /** Grows the batch while steps are well under target, shrinks it when over. */
  private adapt(consumed: number): void {
    if (this.lastStepMs > this.targetStepMs) this.batchRows = Math.max(5000, Math.floor(this.batchRows / 2));
    else if (this.lastStepMs < this.targetStepMs / 2 && consumed === this.batchRows) {
      this.batchRows = Math.min(200_000, this.batchRows * 2);
    }
  }
}
