import type { DuckDBConnection } from '@duckdb/node-api';
import { DirtySource, ROLLUP_DIRTY } from '../catalog/rollup-tables.ts';
import type { RollupLevel } from './rollup-levels.ts';
import {
  deleteKeyedSql,
  insertHistogramRollupSql,
  insertMetricRollupSql,
  insertTradeRollupSql,
  KEY_SPAN_SQL,
  type KeySpan,
  pruneSettledSql,
  streamKeysSql,
  tradeKeysSql,
} from './rollup-sql.ts';

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
}

/** Options of the maintenance step. */
export interface MaintainerOptions {
  /** A step aims to take no longer than this (default 250 ms); its batch adapts (from 5,000 to 200,000 rows). */
  targetStepMs?: number;
  /** Dirty rows the first step takes (default 50,000). */
  batchRows?: number;
}

/**
 * Keeps the rollup levels up to date: each step takes a bounded batch of `rollup_dirty` rows and, in one
 * transaction run in turn with the writes, deletes the rollup rows of every bucket they touch, re-aggregates those
 * buckets from raw rows and deletes the dirty rows consumed. A crash mid-step rolls it all back (the rows stay
 * dirty); re-running a step is harmless. Readers treat dirty buckets as raw, so answers are exact at all times.
 * @example const m = new RollupMaintainer((fn) => writer.exclusive(fn), levels); await m.catchUp();
 */
export class RollupMaintainer {
  private steps = 0;
  private consumed = 0;
  private lastStepMs = 0;
  private failures = 0;
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
   * One step: consumes up to the current batch of dirty rows. Returns how many it consumed (0: caught up).
   * @throws whatever DuckDB throws (the step is rolled back).
   */
  async step(): Promise<number> {
    if (this.levels.length === 0) return 0;
    let consumed = 0;
    const started = performance.now();
    await this.exclusive(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        await c.run(
          `CREATE OR REPLACE TEMP TABLE rollup_step AS SELECT rowid AS rid, * FROM main.${ROLLUP_DIRTY.name} ORDER BY bucket LIMIT ${this.batchRows}`,
        );
        const count = await c.runAndReadAll('SELECT count(*)::INTEGER AS n FROM temp.rollup_step');
        consumed = Number(count.getRowObjectsJS()[0]?.n ?? 0);
        if (consumed > 0) {
          for (const level of this.levels) {
            for (const [keys, table, insert] of [
              [streamKeysSql(level, DirtySource.Metric), 'rollup_metrics', insertMetricRollupSql],
              [streamKeysSql(level, DirtySource.Histogram), 'rollup_histograms', insertHistogramRollupSql],
              [tradeKeysSql(level), 'rollup_trades', insertTradeRollupSql],
            ] as const) {
              await c.run(keys);
              const span = (await c.runAndReadAll(KEY_SPAN_SQL)).getRowObjectsJS()[0] as
                | Partial<KeySpan>
                | undefined;
              if (!span?.first || !span.last) continue;
              const bounds = { first: span.first, last: span.last };
              await c.run(pruneSettledSql(table, level, bounds));
              await c.run(deleteKeyedSql(table, level, bounds));
              await c.run(insert(level, bounds));
            }
          }
          await c.run(
            `DELETE FROM main.${ROLLUP_DIRTY.name} WHERE rowid IN (SELECT rid FROM temp.rollup_step)`,
          );
        }
        await c.run('COMMIT');
      } catch (error) {
        await c.run('ROLLBACK').catch(() => undefined);
        this.failures++;
        throw error;
      }
    });
    if (consumed === 0) return 0;
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
    };
  }

  /** Grows the batch while steps are well under target, shrinks it when over. */
  private adapt(consumed: number): void {
    if (this.lastStepMs > this.targetStepMs) this.batchRows = Math.max(5000, Math.floor(this.batchRows / 2));
    else if (this.lastStepMs < this.targetStepMs / 2 && consumed === this.batchRows) {
      this.batchRows = Math.min(200_000, this.batchRows * 2);
    }
  }
}
