import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { createTableSql } from '../catalog/table-sql.ts';
import type { Database } from '../database/database.ts';
import { SchemaError } from '../errors/errors.ts';
import { ColdReadScope } from './cold-read-scope.ts';
import { type ColdPartition, createTieredViews } from './cold-views.ts';
import { livePartitions, type MovedDay, type MoveStep, moveDay } from './move-day.ts';
import { removeFile, sqlLiteral } from './parquet-layout.ts';
import { COLD_PARTITIONS, TIER_TABLES, TIERED_SCHEMA, type TierTable } from './tier-tables.ts';

const DAY_MS = 86_400_000;

/** How to run the cold tier of a database. */
export interface ColdTierOptions {
  /** The folder of the Parquet files (DuckDB must be allowed to read and write it: `allowedDirectories`). */
  dir: string;
  /** Days kept hot: UTC days that ended more than this many days before now move to Parquet. */
  hotDays: number;
  /** Called at each step of each move (tests stop the process there; `rows` is set at `committed`). */
  onStep?: (step: MoveStep, moved: { table: string; day: string; rows?: number }) => void;
}

/** What one offload round did. */
export interface OffloadReport {
  moved: MovedDay[];
  rows: number;
  bytes: number;
  ms: number;
}

/** Figures of the cold tier, by table and in total. */
export interface ColdTierStats {
  dir: string;
  hotDays: number;
  files: number;
  rows: number;
  bytes: number;
  days: number;
  oldestDay: string | null;
  newestDay: string | null;
  tables: Record<string, { files: number; rows: number; bytes: number; days: number }>;
}

const tiers = new WeakMap<Database, ColdTier>();

/**
 * The cold tier attached to a database, if any (for the stats endpoints).
 * @example coldTierOf(db)?.stats()
 */
export function coldTierOf(db: Database): ColdTier | undefined {
  return tiers.get(db);
}

/**
 * The cold Parquet tier of a database: whole UTC days older than `hotDays` move out of the file into
 * `<dir>/<table>/date=YYYY-MM-DD/part-N.parquet`, and the views of the `duckside_tiers` schema, which queries read first,
 * span both tiers. Moves are crash safe (see `moveDay`); a file is live only once recorded in
 * `duckside_cold_partitions`, and files that are not are removed when the tier is opened.
 * @example
 * const tier = await ColdTier.open(db, { dir: './data/duckside.cold', hotDays: 7 });
 * await tier.offload();
 */
export class ColdTier {
  private running: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Database,
    private readonly options: ColdTierOptions,
    private readonly scope: ColdReadScope,
  ) {}

  /**
   * Opens the tier: creates its catalog table, removes orphan files (of moves that did not commit), checks that
   * every live file exists, creates the views and points the database's queries at them.
   * @throws SchemaError when a recorded file is missing.
   */
  static async open(db: Database, options: ColdTierOptions): Promise<ColdTier> {
    if (!Number.isInteger(options.hotDays) || options.hotDays < 0) {
      throw new RangeError(`hotDays must be a whole number of days >= 0, got ${options.hotDays}`);
    }
    const live = await db.transaction(async (c) => {
      await c.run(createTableSql(COLD_PARTITIONS, { ifNotExists: true }));
      const live = await livePartitions(c);
      const missing = live.filter((p) => !existsSync(join(options.dir, p.path)));
      if (missing.length > 0) {
        throw new SchemaError(
          `cold tier: ${missing.length} recorded file(s) are missing from ${options.dir}, e.g. ${missing[0]?.path}`,
        );
      }
      removeOrphans(options.dir, new Set(live.map((p) => p.path)));
      await createTieredViews(c, options.dir, live);
      return live;
    });
    const tier = new ColdTier(db, options, new ColdReadScope(options.dir, live));
    // Footers of the cold files are read once, not at every query (halves a one-day query over 23 cold days).
    await db.withConnection((c) => c.run('SET GLOBAL parquet_metadata_cache = true'));
    db.setReadSchema(TIERED_SCHEMA, tier.scope);
    tiers.set(db, tier);
    return tier;
  }

  /** The folder of the files. */
  get dir(): string {
    return this.options.dir;
  }

  /**
   * Moves every hot day older than `hotDays` (relative to `now`) of every table, one day per transaction;
   * rounds run one at a time.
   */
  offload(now: number = Date.now()): Promise<OffloadReport> {
    return this.serialized(async () => {
      const started = performance.now();
      const cutoff = dayText(Math.floor(now / DAY_MS) * DAY_MS - this.options.hotDays * DAY_MS);
      const moved: MovedDay[] = [];
      for (const tier of TIER_TABLES) {
        for (const day of await this.hotDaysBefore(tier, cutoff)) {
          const done = await this.move(tier, day);
          if (done) moved.push(done);
        }
      }
      return {
        moved,
        rows: moved.reduce((n, m) => n + m.rows, 0),
        bytes: moved.reduce((n, m) => n + m.bytes, 0),
        ms: performance.now() - started,
      };
    });
  }

  /**
   * Retention of the cold tier: drops whole days that end at or before `cutoff`, of one table or of all (their
   * catalog rows and views in one transaction, then the files). Returns the rows dropped.
   */
  dropBefore(cutoff: number, table?: string): Promise<number> {
    return this.serialized(async () => {
      const before = dayText(Math.floor(cutoff / DAY_MS) * DAY_MS);
      const dropped = await this.changingFiles(() =>
        this.db.transaction(async (c) => {
          const live = await livePartitions(c);
          const isOld = (p: ColdPartition) => p.day < before && (table === undefined || p.table === table);
          const old = live.filter(isOld);
          if (old.length === 0) return [];
          const which = table === undefined ? '' : ` AND table_name = ${sqlLiteral(table)}`;
          await c.run(`DELETE FROM ${COLD_PARTITIONS.name} WHERE day < ${sqlLiteral(before)}${which}`);
          const touched = TIER_TABLES.filter((t) => old.some((p) => p.table === t.name));
          await createTieredViews(
            c,
            this.options.dir,
            live.filter((p) => !isOld(p)),
            touched,
          );
          this.scope.changing();
          return old;
        }),
      );
      for (const p of dropped) removeFile(join(this.options.dir, p.path));
      removeEmptyFolders(this.options.dir);
      return dropped.reduce((n, p) => n + p.rows, 0);
    });
  }

  /** Figures of the live files (from the catalog: no file is opened). */
  async stats(): Promise<ColdTierStats> {
    const live = await this.db.withConnection(livePartitions);
    const tables: ColdTierStats['tables'] = {};
    const allDays = new Set<string>();
    for (const t of TIER_TABLES) {
      const mine = live.filter((p) => p.table === t.name);
      tables[t.name] = {
        files: mine.length,
        rows: sum(mine, 'rows'),
        bytes: sum(mine, 'bytes'),
        days: new Set(mine.map((p) => p.day)).size,
      };
    }
    for (const p of live) allDays.add(p.day);
    const sorted = [...allDays].sort();
    return {
      dir: this.options.dir,
      hotDays: this.options.hotDays,
      files: live.length,
      rows: sum(live, 'rows'),
      bytes: sum(live, 'bytes'),
      days: sorted.length,
      oldestDay: sorted[0] ?? null,
      newestDay: sorted.at(-1) ?? null,
      tables,
    };
  }

  /** Detaches the tier: queries read `main` alone again (the files stay). Waits for a running round. */
  async close(): Promise<void> {
    await this.running.catch(() => undefined);
    if (tiers.get(this.db) === this) tiers.delete(this.db);
    this.db.setReadSchema(undefined);
  }

  private async hotDaysBefore(tier: TierTable, cutoff: string): Promise<string[]> {
    return this.db.withConnection(async (c: DuckDBConnection) => {
      // The distinct days first, then their text (strftime per row took 0.4 s over 3M rows).
      const r = await c.runAndReadAll(
        `SELECT strftime(day, '%Y-%m-%d') AS day FROM (SELECT DISTINCT ts::DATE AS day FROM main.${tier.storage} WHERE ts < TIMESTAMP ${sqlLiteral(cutoff)}) ORDER BY 1`,
      );
      return r.getRowObjectsJS().map((row) => String(row.day));
    });
  }

  private async move(tier: TierTable, day: string): Promise<MovedDay | undefined> {
    const onStep = this.options.onStep;
    let moved: MovedDay | undefined;
    try {
      moved = await this.changingFiles(() =>
        this.db.transaction(async (c) => {
          const done = await moveDay(
            c,
            this.options.dir,
            tier,
            day,
            onStep && ((step) => onStep(step, { table: tier.name, day })),
          );
          if (done) this.scope.changing();
          return done;
        }),
      );
    } catch (error) {
      // A failed commit leaves the renamed file unrecorded: an orphan, removed at the next open.
      removeOrphans(
        this.options.dir,
        new Set((await this.db.withConnection(livePartitions)).map((p) => p.path)),
      );
      throw error;
    }
    if (moved) onStep?.('committed', moved);
    return moved;
  }

  /**
   * Runs a transaction that may change the live files (it calls `scope.changing()` just before its commit), then,
   * if it did, gives the read scope the live files, committed or not.
   */
  private async changingFiles<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } finally {
      if (this.scope.generation % 2 === 1) this.scope.changed(await this.db.withConnection(livePartitions));
    }
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.running.catch(() => undefined).then(fn);
    this.running = run;
    return run;
  }
}

function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function sum(partitions: readonly ColdPartition[], key: 'rows' | 'bytes'): number {
  return partitions.reduce((n, p) => n + p[key], 0);
}

/** Removes every file under the tables' folders that is not live (temporary files and unrecorded parts). */
function removeOrphans(dir: string, live: ReadonlySet<string>): void {
  for (const tier of TIER_TABLES) {
    const tableDir = join(dir, tier.name);
    if (!existsSync(tableDir)) continue;
    for (const dayDir of readdirSync(tableDir)) {
      const full = join(tableDir, dayDir);
      for (const name of safeList(full)) {
        const path = join(full, name);
        if (!live.has(relative(dir, path))) removeFile(path);
      }
    }
  }
  removeEmptyFolders(dir);
}

function removeEmptyFolders(dir: string): void {
  for (const tier of TIER_TABLES) {
    const tableDir = join(dir, tier.name);
    for (const dayDir of safeList(tableDir)) {
      const full = join(tableDir, dayDir);
      if (safeList(full).length === 0) rmdirSync(full);
    }
  }
}

function safeList(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
