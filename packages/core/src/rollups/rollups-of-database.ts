import type { DuckDBConnection } from '@duckdb/node-api';
import { ROLLUP_DIRTY, ROLLUP_LEVELS, ROLLUP_PENDING_METRICS } from '../catalog/rollup-tables.ts';
import { SchemaError } from '../errors/errors.ts';
import { sqlTimestamp, type TimestampInput } from '../time/index.ts';
import type { ColumnarTable } from '../writers/columnar-table.ts';
import { dirtyBuckets } from './dirty-buckets.ts';
import { type DownsampleOptions, type DownsampleReport, downsample } from './downsample.ts';
import { markStoredDirty, syncRollupLevels } from './level-sync.ts';
import { pendingRows } from './pending-rows.ts';
import { type RollupLevel, rollupLevels } from './rollup-levels.ts';
import { type ExclusiveRunner, RollupMaintainer, type RollupStats } from './rollup-maintainer.ts';
import type { RollupPlan } from './rollup-plan.ts';

/** Rollup levels and how often the maintenance step runs. */
export interface RollupOptions {
  /**
   * Bucket widths, each dividing a day and a multiple of the one below, e.g. `DEFAULT_ROLLUP_LEVELS` (`['1m',
   * '1h']`). Rollups are opt-in: without `levels` this opener maintains none (its commits still feed them when
   * the file keeps rollups); `[]` turns them off for the file and drops their rows.
   */
  levels?: readonly string[];
  /** Run the maintenance step every this many milliseconds (default 1000; 0: only when `catchUpRollups` is called). */
  maintainEveryMs?: number;
}

/** What `rebuildRollups` did: the levels rebuilt, dirty rows marked and consumed. */
export interface RebuildReport {
  levels: string[];
  marked: number;
  consumed: number;
}

/** What the rollups need of their database. */
export interface RollupHost {
  /** Runs `fn` on a pooled connection. */
  pooled<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  /** Runs `fn` on a pooled connection inside a transaction. */
  transaction<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  /** Runs `fn` in turn with the writes (the group-commit writer's `exclusive`). */
  exclusive: ExclusiveRunner;
  /** Runs `fn` alone among the schema changes of the file. */
  serialized<T>(fn: () => Promise<T>): Promise<T>;
  /** Forgets the series known to be stored (downsampling removed some). */
  forgetSeries(): void;
}

/**
 * The rollups of one `Database` (see docs/rollups.md): the levels maintained and their maintenance step, what each
 * write adds for them, downsampling retention and rebuilds. `Database` delegates its rollup methods here.
 * @example const rollups = new RollupsOfDatabase(host, options.rollups); await rollups.setUp();
 */
export class RollupsOfDatabase {
  /** Width of the finest stored level, when the file keeps rollups (its commits then feed them). */
  private feedWidth: number | undefined;
  /** Whether the file has the pending tables (version 7): commits copy their rows there instead of marking buckets. */
  private pending = false;
  private maintainer: RollupMaintainer = new RollupMaintainer(async () => undefined, []);

  constructor(
    private readonly host: RollupHost,
    private readonly options: RollupOptions = {},
  ) {}

  /**
   * Sets up rollups when the schema has them (version 6). With `levels` configured, brings the stored levels to
   * them (a new level marks every stored bucket dirty, so it is built from what is there) and starts the
   * maintenance step. Without, rollups are off for this opener, but when the file keeps rollups (levels stored by
   * an earlier opener) its commits still feed them, so those rollups never miss a point.
   */
  async setUp(): Promise<void> {
    const configured = this.options.levels;
    if (this.maintainer.levels.length > 0 || !(await this.hasRollupTables())) return;
    if (configured === undefined) return this.feedWhenFileKeepsRollups();
    const levels = rollupLevels(configured);
    this.feedWidth = levels[0]?.seconds;
    this.pending = await this.hasTable(ROLLUP_PENDING_METRICS.name);
    await this.host.serialized(() => this.host.pooled((c) => syncRollupLevels(c, levels)));
    this.maintainer = new RollupMaintainer(this.host.exclusive, levels);
    const every = this.options.maintainEveryMs ?? 1000;
    if (every > 0 && levels.length > 0) this.maintainer.start(every);
  }

  /** Feeds written rows to the finest stored level when the file keeps rollups (none: nothing to feed). */
  async feedWhenFileKeepsRollups(): Promise<void> {
    if (!(await this.hasRollupTables())) return;
    this.feedWidth = (await this.storedLevels())[0]?.seconds;
    this.pending = await this.hasTable(ROLLUP_PENDING_METRICS.name);
  }

  /**
   * The tables of a write plus, when the file keeps rollups, their `rollup_pending_*` copies (version 7), or on a
   * version 6 file the `rollup_dirty` rows of the buckets they touch.
   */
  withFeed(tables: readonly ColumnarTable[]): readonly ColumnarTable[] {
    if (this.feedWidth === undefined) return tables;
    if (this.pending) return [...tables, ...pendingRows(tables)];
    const dirty = dirtyBuckets(tables, this.feedWidth);
    return dirty ? [...tables, dirty] : tables;
  }

  /** The levels queries may be answered from (finest first). */
  get plan(): RollupPlan {
    return { levels: this.maintainer.levels };
  }

  /** The levels maintained, finest first (empty when rollups are off). */
  get levels(): readonly RollupLevel[] {
    return this.maintainer.levels;
  }

  /** Runs the maintenance step until nothing is pending or dirty; returns the rows consumed. */
  catchUp(): Promise<number> {
    return this.maintainer.catchUp();
  }

  /** Downsampling retention, after catching up (see `Database.downsample`). */
  async downsample(options: DownsampleOptions): Promise<DownsampleReport> {
    // Raw rows go only once their buckets are rolled up (a later late point before the horizon stays raw only).
    await this.maintainer.catchUp();
    return downsample(
      (fn) => this.host.pooled(fn),
      this.host.exclusive,
      this.maintainer.levels,
      () => this.host.forgetSeries(),
      options,
    );
  }

  /**
   * Rebuilds the rollups of `[from, to)` (see `Database.rebuildRollups`).
   * @throws SchemaError when the database has no rollup tables (version 6).
   */
  async rebuild(range: { from?: TimestampInput; to?: TimestampInput }): Promise<RebuildReport> {
    if (!(await this.hasRollupTables()))
      throw new SchemaError('the database has no rollup tables (schema version 6)');
    const levels = this.maintainer.levels.length > 0 ? this.maintainer.levels : await this.storedLevels();
    const finest = levels[0];
    if (!finest) return { levels: [], marked: 0, consumed: 0 };
    const text = {
      ...(range.from === undefined ? {} : { from: sqlTimestamp(range.from, 'from') }),
      ...(range.to === undefined ? {} : { to: sqlTimestamp(range.to, 'to') }),
    };
    const marked = await this.host.transaction(async (c) => {
      const before = await countRows(c, ROLLUP_DIRTY.name);
      await markStoredDirty(c, finest, text);
      return (await countRows(c, ROLLUP_DIRTY.name)) - before;
    });
    const maintainer =
      this.maintainer.levels.length > 0 ? this.maintainer : new RollupMaintainer(this.host.exclusive, levels);
    const consumed = await maintainer.catchUp();
    return { levels: levels.map((l) => l.label), marked, consumed };
  }

  /** Figures of the maintenance step. */
  stats(): RollupStats {
    return this.maintainer.stats();
  }

  /** Stops the background steps and waits for one in flight. */
  stop(): Promise<void> {
    return this.maintainer.stop();
  }

  private async storedLevels(): Promise<readonly RollupLevel[]> {
    const rows = await this.host.pooled(async (c) =>
      (
        await c.runAndReadAll(`SELECT label FROM ${ROLLUP_LEVELS.name} ORDER BY width_seconds`)
      ).getRowObjectsJS(),
    );
    return rollupLevels(rows.map((r) => String(r.label)));
  }

  private hasRollupTables(): Promise<boolean> {
    return this.hasTable(ROLLUP_DIRTY.name);
  }

  private hasTable(name: string): Promise<boolean> {
    return this.host.pooled(async (c) => {
      const r = await c.runAndReadAll(
        `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = '${name}'`,
      );
      return Number(r.getRowObjectsJS()[0]?.n) > 0;
    });
  }
}

async function countRows(c: DuckDBConnection, table: string): Promise<number> {
  const r = await c.runAndReadAll(`SELECT count(*)::BIGINT FROM ${table}`);
  return Number(r.getRows()[0]?.[0] ?? 0);
}
