import { statSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DuckDBConnection, DuckDBInstance, DuckDBResultReader } from '@duckdb/node-api';
import { METRIC_SERIES } from '../catalog/metric-tables.ts';
import { ConnectionPool, type PoolOptions, type PoolStats } from '../connection/connection-pool.ts';
import { acquireInstance, normalizePath, releaseInstance } from '../connection/instance-registry.ts';
import { ClosedError, DatabaseError, QueryError, QueryTimeoutError, WriteError } from '../errors/errors.ts';
import { CandleRecord } from '../models/candle-record.ts';
import { MetricRecord } from '../models/metric-record.ts';
import type { TableStats } from '../models/result-types.ts';
import { SystemEvent } from '../models/system-event.ts';
import { TradeRecord } from '../models/trade-record.ts';
import type { CompiledQuery } from '../query/compiled-query.ts';
import { deleteOlderThan, tableStatistics } from '../query/maintenance-queries.ts';
import { readRows } from '../query/row-conversion.ts';
import { runPrepared } from '../query/statement-cache.ts';
import type { DataTable } from '../query/tables.ts';
import {
  type SizeRetentionOptions,
  type SizeRetentionReport,
  trimToSize,
} from '../retention/size-retention.ts';
import { type StorageSize, storageSize } from '../retention/storage-size.ts';
import type { DownsampleOptions, DownsampleReport } from '../rollups/downsample.ts';
import type { RollupLevel } from '../rollups/rollup-levels.ts';
import type { RollupStats } from '../rollups/rollup-maintainer.ts';
import type { RollupPlan } from '../rollups/rollup-plan.ts';
import { ANY_DIRTY_SQL } from '../rollups/rollup-sql.ts';
import { type RebuildReport, type RollupOptions, RollupsOfDatabase } from '../rollups/rollups-of-database.ts';
import { BUILTIN_MIGRATIONS, BUILTIN_VERSIONS } from '../schema/builtin-migrations.ts';
import type { Migration } from '../schema/migration.ts';
import { MigrationRunner, type MigrationStep } from '../schema/migration-runner.ts';
import { type SchemaReport, verifySchema } from '../schema/schema-verifier.ts';
import { CoreTelemetry, type PoolSource } from '../telemetry/core-telemetry.ts';
import { TELEMETRY } from '../telemetry/telemetry-names.ts';
import { type ReadScope, readScoped } from '../tiering/read-scope.ts';
import type { TimestampInput } from '../time/index.ts';
import { CallCoalescer } from '../writers/call-coalescer.ts';
import type { ColumnarTable } from '../writers/columnar-table.ts';
import { GroupCommitWriter, type WriterOptions, type WriterStats } from '../writers/group-commit-writer.ts';
import type { LogBatch } from '../writers/log-batch.ts';
import type { MetricBatch } from '../writers/metric-batch.ts';
import { candlesTable, eventsTable, metricsBatch, tradesTable } from '../writers/record-tables.ts';
import { KnownSeries, type SeriesEntry } from '../writers/series-identity.ts';
import {
  DEFAULT_MAX_SERIES_PER_METRIC,
  NO_SERIES_LIMIT_STATS,
  SeriesLimit,
  type SeriesLimitStats,
} from '../writers/series-limit.ts';
import { readSeriesFirst, readWithShortcuts, type StatementReader } from './series-first-read.ts';
import { SeriesLookups } from './series-lookups.ts';
import { ShortcutHints } from './shortcut-hints.ts';

export type { RebuildReport, RollupOptions } from '../rollups/rollups-of-database.ts';

/** How to open a database. */
export interface DatabaseOptions {
  /** File path (its folder is created) or `:memory:`. */
  path: string;
  pool?: PoolOptions;
  writer?: WriterOptions;
  /** DuckDB `memory_limit`, e.g. `1GB`. */
  memoryLimit?: string;
  /** DuckDB worker threads. */
  threads?: number;
  /**
   * WAL size that triggers an automatic checkpoint (DuckDB `checkpoint_threshold`; default 64MB, DuckDB's own is
   * 16MB). Larger means cheaper commits under sustained ingest, a longer WAL replay after a crash.
   */
  checkpointThreshold?: string;
  /**
   * Allow DuckDB to read and write other files (`read_csv`, `COPY`, `ATTACH`). Off for the sidecar's query path;
   * on by default for the library and the migrator.
   */
  externalAccess?: boolean;
  /**
   * Folders DuckDB may still read and write with `externalAccess: false` (the cold tier's Parquet files, see
   * docs/operations.md "Cold tier").
   */
  allowedDirectories?: readonly string[];
  /** Apply missing built-in migrations on open (default true). */
  initialize?: boolean;
  /**
   * Most series per metric name (default 10,000; 0 for no limit). Points of a new series past it are stored in
   * the metric's overflow series (attribute `otel.metric.overflow=true`), never refused; see `seriesLimitStats`.
   */
  maxSeriesPerMetric?: number;
  /** Rollup levels and their maintenance (see docs/rollups.md). */
  rollups?: RollupOptions;
}

/** Options of a query run. */
export interface QueryOptions {
  /** Interrupt the query after this many milliseconds (`QueryTimeoutError`). */
  timeoutMs?: number;
  /** Return at most this many rows; `truncated` tells whether more existed. */
  maxRows?: number;
  /**
   * The caller's name for this query (e.g. the HTTP endpoint), recorded as `duckside.query.kind` on the query's
   * span and duration (see docs/operations.md, "Self-instrumentation"). Keep it low-cardinality.
   */
  kind?: string;
}

/** Rows of a query and whether the row cap cut them. */
export interface QueryResult<R> {
  rows: R[];
  truncated: boolean;
  /** Which source answered, when the builder chose one (`raw`, `rollup:1h`, `rollup:1h+raw`). */
  source?: string;
}

/**
 * One DuckDB database file: a pool of connections, the schema, group-committed writes and typed queries.
 * @example
 * await using db = await Database.open({ path: './data/duckside.duckdb' });
 * await db.insertMetric(new MetricRecord('order_latency_ms', 42.5).withSymbol('BTC/USD'));
 */
export class Database implements AsyncDisposable {
  /** Normalized path (`:memory:` or absolute). */
  readonly path: string;
  private pool: ConnectionPool;
  private readonly writer: GroupCommitWriter;
  /** Series whose `metric_series` row is committed: batches leave them out. */
  private readonly knownSeries = new KnownSeries();
  /** The per-metric series limit once loaded (see `loadSeriesLimit`), undefined without a limit. */
  private seriesLimit: SeriesLimit | undefined;
  private seriesLimitLoading: Promise<SeriesLimit | undefined> | undefined;
  private closing: Promise<void> | undefined;
  private recovering: Promise<void> | undefined;
  private reopenCount = 0;
  private instanceOpen = true;
  private readonly telemetry: CoreTelemetry;
  private readonly poolSource: PoolSource;
  /** Single `insertMetric` calls of one event-loop turn, written as one batch. */
  private readonly singleMetrics = new CallCoalescer<MetricRecord>((records) => this.insertMetrics(records));
  /** The rollups: levels, maintenance, what writes add for them (see docs/rollups.md). */
  private readonly rollups: RollupsOfDatabase;
  /** Schema searched before `main` by `query` (the cold tier's views), or undefined. */
  private readSchema: string | undefined;
  /** What narrows read statements to the cold days they touch (the cold tier's), or undefined. */
  private readScope: ReadScope | undefined;
  /** Answers of series-first queries' series steps, until a write may add series. */
  private readonly seriesLookups = new SeriesLookups();
  /** What series-first queries remember: their series steps' answers and which shortcut answered each shape. */
  private readonly seriesFirstMemory = { lookups: this.seriesLookups, hints: new ShortcutHints() };

  private constructor(
    path: string,
    private instance: DuckDBInstance,
    private readonly options: DatabaseOptions,
    private readonly config: Record<string, string>,
  ) {
    this.path = path;
    this.pool = new ConnectionPool(instance, options.pool);
    this.telemetry = new CoreTelemetry(path);
    this.poolSource = { name: poolName(path), stats: () => this.pool.stats() };
    this.telemetry.observePool(this.poolSource);
    // The writer bypasses the closed check: close() flushes the writes queued before it.
    this.writer = new GroupCommitWriter(
      (fn) => this.usePooled(fn),
      options.writer,
      this.telemetry,
      (rows) =>
        rows === undefined || rows.has(METRIC_SERIES.name) ? this.seriesLookups.changing() : undefined,
    );
    this.rollups = new RollupsOfDatabase(
      {
        pooled: (fn) => this.usePooled(fn),
        transaction: (fn) => this.transaction(fn),
        exclusive: (fn) => this.writer.exclusive(fn),
        serialized: (fn) => oneAtATime(this.path, fn),
        forgetSeries: () => this.knownSeries.clear(),
      },
      options.rollups,
    );
  }

  /**
   * Opens a database (one DuckDB instance per file per process) and, unless `initialize: false`, brings its
   * schema to the latest built-in version.
   * @throws DatabaseLockedError when another process holds the file.
   */
  static async open(options: DatabaseOptions | string): Promise<Database> {
    const o = typeof options === 'string' ? { path: options } : options;
    const path = normalizePath(o.path);
    return new CoreTelemetry(path).span(TELEMETRY.spans.open, async () => {
      const config: Record<string, string> = {};
      if (o.memoryLimit) config.memory_limit = o.memoryLimit;
      if (o.threads) config.threads = String(o.threads);
      config.checkpoint_threshold = o.checkpointThreshold ?? DEFAULT_CHECKPOINT_THRESHOLD;
      const allowed = o.allowedDirectories ?? [];
      if (o.externalAccess === false && allowed.length === 0) config.enable_external_access = 'false';
      const instance = await acquireInstance(path, config);
      const db = new Database(path, instance, o, config);
      try {
        await db.restrictFiles();
        if (o.initialize === false) {
          // Without schema changes of its own, writes still mark buckets dirty when the file keeps rollups.
          await db.rollups.feedWhenFileKeepsRollups();
        } else {
          await db.initialize();
          await db.loadSeriesLimit();
        }
      } catch (error) {
        await db.close().catch(() => undefined);
        throw error;
      }
      return db;
    });
  }

  /** The rollup levels queries may be answered from (finest first): what `execute` compiles builders with. */
  get rollupPlan(): RollupPlan {
    return this.rollups.plan;
  }

  /** The rollup levels maintained, finest first (empty when rollups are off). */
  get rollupLevels(): readonly RollupLevel[] {
    return this.rollups.levels;
  }

  /**
   * Runs the rollup maintenance step until every pending point is merged and every dirty bucket re-aggregated;
   * returns the rows consumed.
   * @example await db.insertTrades(trades); await db.catchUpRollups();
   */
  catchUpRollups(): Promise<number> {
    if (this.closing) return Promise.reject(new ClosedError());
    return this.rollups.catchUp();
  }

  /**
   * Downsampling retention: removes raw rows (scalar and explicit-histogram points, trades) older than
   * `rawMaxAgeMs` and rollup rows older than each level's keep-for, in batches of about 50 ms each run in turn
   * with the writes, then the series rows no point refers to. The rollups are caught up first, so rollup answers
   * over what is left do not change.
   * @example await db.downsample({ rawMaxAgeMs: 14 * 86_400_000, levelMaxAgeMs: { '1m': 180 * 86_400_000 } });
   */
  async downsample(options: DownsampleOptions): Promise<DownsampleReport> {
    if (this.closing) throw new ClosedError();
    return this.rollups.downsample(options);
  }

  /**
   * Rebuilds the rollups of `[from, to)` (either end open): marks every stored bucket of the range dirty and runs
   * the maintenance step until caught up (after a bulk import written around core, or to repair). Uses the levels
   * maintained here, or, opened without schema set-up, the levels recorded in `rollup_levels`. Buckets before the
   * raw horizon that already hold rollups are left as they are (their raw rows were removed).
   * @throws SchemaError when the database has no rollup tables (version 6).
   * @example await db.rebuildRollups({ from: '2024-01-01', to: '2024-02-01' });
   */
  async rebuildRollups(range: { from?: TimestampInput; to?: TimestampInput } = {}): Promise<RebuildReport> {
    if (this.closing) throw new ClosedError();
    return this.rollups.rebuild(range);
  }

  /** Figures of the rollup maintenance step. */
  rollupStats(): RollupStats {
    return this.rollups.stats();
  }

  /**
   * With `externalAccess: false` and `allowedDirectories`, DuckDB takes the folders only before external access
   * is turned off, and only as settings (not at instance creation): set both once per instance.
   */
  private async restrictFiles(): Promise<void> {
    const allowed = this.options.allowedDirectories ?? [];
    if (this.options.externalAccess !== false || allowed.length === 0) return;
    const list = allowed.map((d) => `'${d.replaceAll("'", "''")}'`).join(', ');
    await this.usePooled(async (c) => {
      const r = await c.runAndReadAll(`SELECT current_setting('enable_external_access') AS on`);
      if (r.getRowObjectsJS()[0]?.on === false) return;
      await c.run(`SET GLOBAL allowed_directories = [${list}]`);
      await c.run('SET GLOBAL enable_external_access = false');
    });
  }

  /**
   * Makes `query` (and so `execute`, `all` and every reader above them) look names up in `schema` before `main`:
   * the cold tier's views of the same names span both tiers. Writers and maintenance keep reading `main`. With a
   * `scope`, each read statement runs as the scope rewrites it (see `ReadScope`).
   * @example db.setReadSchema('duckside_tiers');
   */
  setReadSchema(schema: string | undefined, scope?: ReadScope): void {
    if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema ${schema}`);
    this.readSchema = schema;
    this.readScope = schema === undefined ? undefined : scope;
    // The series step reads `metric_series` through the schema too.
    this.seriesLookups.changed();
  }

  /**
   * Runs `fn` on a pooled connection inside a transaction that is rolled back afterwards, so nothing `fn` does
   * is kept: the way to run raw read-only SQL (it leaves what the database remembers about its series intact,
   * where {@link withConnection} must assume a write).
   * @example const rows = await db.withReadConnection(async (c) => (await c.runAndReadAll('SELECT 1')).getRows());
   */
  async withReadConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.usePooledOpen(async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      try {
        return await fn(connection);
      } finally {
        // No transaction to roll back: `fn` ended it itself, and may have written after.
        await connection.run('ROLLBACK').catch(() => this.seriesLookups.changed());
      }
    });
  }

  /** Runs `fn` with a pooled connection, returned afterwards (destroyed if `fn` left it unusable). */
  async withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    // `fn` may write anything, series included.
    const settled = this.seriesLookups.changing();
    try {
      return await this.usePooledOpen(fn);
    } finally {
      settled();
    }
  }

  /** {@link usePooled} once the database is not closing. */
  private usePooledOpen<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closing) return Promise.reject(new ClosedError());
    return this.usePooled(fn);
  }

  private async usePooled<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.recovering) throw reopeningError();
    const pool = this.pool;
    const pooled = await pool.acquire();
    try {
      return await fn(pooled.connection);
    } catch (error) {
      const text = String((error as Error)?.message);
      if (/INTERNAL Error|FATAL/i.test(text)) pooled.broken = true;
      if (INVALIDATED.test(text)) {
        pooled.broken = true;
        this.reopen();
        throw reopeningError(error);
      }
      throw error;
    } finally {
      await pool.release(pooled);
    }
  }

  /**
   * DuckDB invalidates a database after a fatal error such as a full disk during a checkpoint; every later
   * statement fails. Reopen the file in the background (the WAL replays what was committed), retrying with
   * backoff until it opens; meanwhile calls fail with a retryable `WriteError`.
   */
  private reopen(): void {
    if (this.recovering || this.closing) return;
    this.recovering = (async () => {
      const old = this.pool;
      await old.drain().catch(() => undefined);
      try {
        this.instanceOpen = false;
        releaseInstance(this.path, this.instance);
      } catch {
        // Closing an invalidated instance may fail; it is being replaced either way.
      }
      for (let attempt = 0; !this.closing; attempt++) {
        try {
          this.instance = await acquireInstance(this.path, this.config);
          this.instanceOpen = true;
          this.pool = new ConnectionPool(this.instance, this.options.pool);
          await this.restrictFiles();
          this.reopenCount++;
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** attempt)));
        }
      }
    })().finally(() => {
      this.recovering = undefined;
    });
  }

  /** How often the file was reopened after DuckDB invalidated it (e.g. disk full during a checkpoint). */
  get reopens(): number {
    return this.reopenCount;
  }

  /** True while the file is being reopened after a fatal error. */
  get isRecovering(): boolean {
    return this.recovering !== undefined;
  }

  /** Runs `fn` inside a transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.withConnection(async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await fn(connection);
        await connection.run('COMMIT');
        return result;
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * Applies missing built-in migrations (or the given list) and returns what ran. With the built-in list, user
   * migrations recorded by the migrator (versions from 1000) are left alone. With the built-in list, the rollup
   * levels are then brought to the configured ones and their maintenance started.
   */
  async initialize(migrations: readonly Migration[] = BUILTIN_MIGRATIONS): Promise<MigrationStep[]> {
    return this.telemetry.span(TELEMETRY.spans.migrate, async (span) => {
      const steps = await oneAtATime(this.path, () =>
        this.withConnection((c) => new MigrationRunner(c, migrations, builtinRange(migrations)).up()),
      );
      span.setAttribute(TELEMETRY.attributes.migrationsApplied, steps.length);
      if (migrations === BUILTIN_MIGRATIONS) await this.rollups.setUp();
      return steps;
    });
  }

  /** Compares the schema with the latest version of the built-in migrations. */
  async verify(migrations: readonly Migration[] = BUILTIN_MIGRATIONS): Promise<SchemaReport> {
    return this.usePooledOpen((c) => verifySchema(c, migrations, builtinRange(migrations)));
  }

  /** Writes columnar tables through the group-commit writer; resolves once committed. */
  writeTables(tables: readonly ColumnarTable[]): Promise<void> {
    return this.writer.write(this.rollups.withFeed(tables));
  }

  /**
   * The per-metric series limit, loaded on first use (at open when it initializes the schema) with one query
   * over `metric_series`; undefined when `maxSeriesPerMetric` is 0.
   */
  private loadSeriesLimit(): SeriesLimit | Promise<SeriesLimit | undefined> | undefined {
    if (this.seriesLimit) return this.seriesLimit;
    const max = this.options.maxSeriesPerMetric ?? DEFAULT_MAX_SERIES_PER_METRIC;
    if (max === 0) return undefined;
    this.seriesLimitLoading ??= this.usePooled((c) => SeriesLimit.load(c, max)).then(
      (limit) => {
        this.seriesLimit = limit;
        return limit;
      },
      (error: unknown) => {
        this.seriesLimitLoading = undefined;
        throw error;
      },
    );
    return this.seriesLimitLoading;
  }

  /** Figures of the per-metric series limit: the limit, metrics at it, points folded into overflow series. */
  seriesLimitStats(): SeriesLimitStats {
    return this.seriesLimit?.stats() ?? NO_SERIES_LIMIT_STATS;
  }

  /**
   * Writes an OTLP-shaped metric batch (all kinds) through the group-commit writer; resolves once committed.
   * Points of series past the per-metric series limit go to their metric's overflow series.
   */
  async writeMetricBatch(batch: MetricBatch): Promise<void> {
    const limit = this.seriesLimit ?? (await this.loadSeriesLimit());
    limit?.apply(batch);
    // The series written are those listed now: points pushed into the batch meanwhile are not part of this write.
    const listed = batch.series.slice();
    await this.writer.write(this.rollups.withFeed(batch.toTables(this.knownSeries)));
    this.knownSeries.addAll(listed);
  }

  /**
   * Writes batches produced one after the other (e.g. slices of one large export) in ONE commit without blocking
   * the event loop for the whole lot: each batch is pulled, appended, then the event loop gets a turn. Runs as
   * one round of the group-commit writer, in turn with other writes. Resolves after the commit; on failure
   * nothing is stored.
   * @example await db.writeMetricBatches(mapper.slices(resourceMetrics, 1024));
   */
  async writeMetricBatches(batches: Iterator<MetricBatch, void>): Promise<void> {
    const first = batches.next();
    if (first.done) return;
    const second = batches.next();
    if (second.done) return this.writeMetricBatch(first.value);
    const written: SeriesEntry[][] = [];
    const limit = this.seriesLimit ?? (await this.loadSeriesLimit());
    await this.writer.writeWith(async (tables) => {
      let next: IteratorResult<MetricBatch, void> = first;
      let pending: IteratorResult<MetricBatch, void> | undefined = second;
      while (!next.done) {
        limit?.apply(next.value);
        written.push(next.value.series.slice());
        const batchTables = next.value.toTables(this.knownSeries);
        for (const table of batchTables) await tables.write(table);
        for (const extra of this.rollups.withFeed(batchTables).slice(batchTables.length))
          await tables.write(extra);
        await yieldToEventLoop();
        next = pending ?? batches.next();
        pending = undefined;
      }
    });
    for (const series of written) this.knownSeries.addAll(series);
  }

  /**
   * Inserts one application metric. Calls made in the same turn of the event loop are written as one batch, and
   * concurrent callers share commits; each call resolves once its point is committed.
   */
  insertMetric(record: MetricRecord): Promise<void> {
    if (!(record instanceof MetricRecord)) return this.insertMetrics([record]);
    return this.singleMetrics.add(record);
  }

  /** Inserts application metrics (plain objects are validated). */
  insertMetrics(records: readonly (MetricRecord | unknown)[]): Promise<void> {
    return this.guard(() =>
      this.writeMetricBatch(metricsBatch(records.map((r, i) => asRecord(MetricRecord, r, i)))),
    );
  }

  /** Inserts or replaces candles (same symbol, venue, interval and time replace the stored one). */
  insertCandles(records: readonly (CandleRecord | unknown)[]): Promise<void> {
    return this.guard(() =>
      this.writer.write([candlesTable(records.map((r, i) => asRecord(CandleRecord, r, i)))]),
    );
  }

  /** Inserts trades. */
  insertTrades(records: readonly (TradeRecord | unknown)[]): Promise<void> {
    return this.guard(() =>
      this.writer.write(
        this.rollups.withFeed([tradesTable(records.map((r, i) => asRecord(TradeRecord, r, i)))]),
      ),
    );
  }

  /** Inserts system events. */
  insertEvents(records: readonly (SystemEvent | unknown)[]): Promise<void> {
    return this.guard(() =>
      this.writer.write([eventsTable(records.map((r, i) => asRecord(SystemEvent, r, i)))]),
    );
  }

  /**
   * Writes OTLP log records into `system_events` through the group-commit writer; resolves once committed.
   * @throws OverloadedError when the write queue is full.
   * @example await db.writeLogBatch(decodeProtobufLogs(body).batch);
   */
  writeLogBatch(batch: LogBatch): Promise<void> {
    return this.guard(() => this.writer.write([batch.toTable()]));
  }

  /** Waits until all queued writes are committed. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /**
   * Runs a compiled query and returns typed rows (see `readRows` for the type conventions).
   * @throws QueryTimeoutError when `timeoutMs` passes; QueryError on failure (message without SQL).
   */
  async query<R>(query: CompiledQuery<R>, options: QueryOptions = {}): Promise<QueryResult<R>> {
    let truncated = false;
    const rows = await this.telemetry.query(query.sql, options.kind, () =>
      this.readQuery(query, options, (t) => {
        truncated = t;
      }),
    );
    return query.source === undefined ? { rows, truncated } : { rows, truncated, source: query.source };
  }

  private readQuery<R>(
    query: CompiledQuery<R>,
    options: QueryOptions,
    truncated: (cut: boolean) => void,
  ): Promise<R[]> {
    return this.usePooledOpen(async (connection) => {
      let timedOut = false;
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              connection.interrupt();
            }, options.timeoutMs);
      const schema = this.readSchema;
      const scope = this.readScope;
      // Set before the first statement the scope left as it is (a narrowed one names no view through the schema).
      let onSchema = false;
      try {
        const cap = options.maxRows === undefined ? undefined : options.maxRows + 1;
        const read: StatementReader = (sql, params, rows) =>
          readScoped(scope, sql, params, async (text) => {
            if (schema && !onSchema && text === sql) {
              await connection.run(`SET search_path = '${schema},main'`);
              onSchema = true;
            }
            return params.length > 0
              ? runPrepared(connection, text, params, rows)
              : rows === undefined
                ? connection.runAndReadAll(text)
                : connection.streamAndReadUntil(text, rows);
          });
        if (query.bySeries) {
          const answer = await readSeriesFirst(query.bySeries, this.seriesFirstMemory, read, options.maxRows);
          if (answer) {
            truncated(answer.truncated);
            return answer.rows;
          }
        }
        const { reader } = await readWithShortcuts(read, query.shortcuts ?? [], cap, () =>
          query.clean
            ? this.readCleanOrRaw(connection, query, cap, read)
            : read(query.sql, query.params, cap),
        );
        truncated(options.maxRows !== undefined && reader.currentRowCount > options.maxRows);
        return readRows<R>(reader, options.maxRows);
      } catch (error) {
        if (timedOut) throw new QueryTimeoutError(options.timeoutMs as number, { cause: error });
        if (error instanceof DatabaseError) throw error;
        throw new QueryError('the query failed', { cause: error });
      } finally {
        if (timer) clearTimeout(timer);
        // A connection left on the cold tier's schema would send writers to its views: destroy it instead.
        if (onSchema)
          await connection.run('RESET search_path').catch((cause: unknown) => {
            throw new Error('FATAL: search_path could not be reset', { cause });
          });
      }
    });
  }

  /** Runs a query's `clean` form when no rollup bucket is dirty, else the query; both in one snapshot. */
  private async readCleanOrRaw(
    connection: DuckDBConnection,
    query: CompiledQuery<unknown>,
    cap: number | undefined,
    read: StatementReader,
  ): Promise<DuckDBResultReader> {
    await connection.run('BEGIN TRANSACTION');
    try {
      const dirty = await connection.runAndReadAll(ANY_DIRTY_SQL);
      const chosen = Number(dirty.getRows()[0]?.[0]) === 0 && query.clean ? query.clean : query;
      return await read(chosen.sql, chosen.params, cap);
    } finally {
      await connection.run('COMMIT').catch(() => undefined);
    }
  }

  /**
   * Runs a query builder (or a compiled query) and returns its typed rows and the truncation flag.
   * @example const { rows } = await db.execute(selectMetrics().name('pnl').limit(10));
   */
  execute<R>(
    query: { compile(plan?: RollupPlan): CompiledQuery<R> } | CompiledQuery<R>,
    options: QueryOptions = {},
  ): Promise<QueryResult<R>> {
    return this.query('compile' in query ? query.compile(this.rollupPlan) : query, options);
  }

  /** Row counts, time spans and approximate sizes of the data tables. */
  tableStats(): Promise<TableStats[]> {
    return this.all(tableStatistics());
  }

  /** Deletes rows older than `cutoff` from one data table; returns how many were deleted. */
  async deleteOlderThan(table: DataTable, cutoff: TimestampInput): Promise<number> {
    const [row] = await this.all(deleteOlderThan(table, cutoff));
    return Number(row?.Count ?? 0);
  }

  /** How much of the file holds data: used and free blocks, the WAL and the file's size (all 0 for `:memory:`). */
  storageSize(): Promise<StorageSize> {
    return this.usePooledOpen((c) => storageSize(c, this.path));
  }

  /**
   * Size retention: when the used bytes exceed `maxBytes`, deletes the oldest rows, table by table in bounded
   * batches, each batch in turn with the writes and followed by a checkpoint, until `targetBytes` (default 90%).
   * @example const r = await db.trimToSize({ maxBytes: 2 ** 30 }); r.deleted.trading_metrics
   */
  trimToSize(options: SizeRetentionOptions): Promise<SizeRetentionReport> {
    if (this.closing) return Promise.reject(new ClosedError());
    return trimToSize((fn) => this.writer.exclusive(fn), this.path, options);
  }

  /** Runs a compiled query and returns all its rows. */
  async all<R>(query: CompiledQuery<R>, options: Omit<QueryOptions, 'maxRows'> = {}): Promise<R[]> {
    return (await this.query(query, options)).rows;
  }

  /** Writes the WAL into the database file. */
  async checkpoint(): Promise<void> {
    await this.usePooledOpen((c) => c.run('CHECKPOINT'));
  }

  /** Refreshes the optimizer's statistics. */
  async analyze(): Promise<void> {
    await this.usePooledOpen((c) => c.run('ANALYZE'));
  }

  /** Pool figures: size, available, borrowed, pending. */
  poolStats(): PoolStats {
    return this.pool.stats();
  }

  /** Write queue figures. */
  writerStats(): WriterStats {
    return this.writer.stats();
  }

  /** Size of the database file and its WAL in bytes (0 for `:memory:`). */
  fileSizeBytes(): number {
    if (this.path === ':memory:') return 0;
    let total = 0;
    for (const p of [this.path, `${this.path}.wal`]) {
      try {
        total += statSync(p).size;
      } catch {
        // No WAL yet.
      }
    }
    return total;
  }

  /** True until `close` starts. */
  get isOpen(): boolean {
    return this.closing === undefined;
  }

  /** Flushes queued writes, checkpoints, drains the pool and closes the instance. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async doClose(): Promise<void> {
    await this.rollups.stop();
    await this.writer.close();
    this.telemetry.stopObserving(this.poolSource);
    if (this.recovering) await this.recovering;
    if (!this.instanceOpen) return;
    try {
      if (this.path !== ':memory:') {
        const pooled = await this.pool.acquire();
        try {
          await pooled.connection.run('CHECKPOINT');
        } catch (error) {
          // Another user of this file's shared instance is writing: leave the checkpoint to the instance, which
          // checkpoints when its last user closes it.
          if (!/other write transactions active/.test(String((error as Error)?.message))) throw error;
        } finally {
          await this.pool.release(pooled);
        }
      }
    } finally {
      await this.pool.drain();
      this.instanceOpen = false;
      releaseInstance(this.path, this.instance);
    }
  }

  private guard(fn: () => Promise<void>): Promise<void> {
    try {
      return fn();
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/** Migrations running per file: concurrent opens of one file share its instance and would race on the DDL. */
const migrating = new Map<string, Promise<unknown>>();

function oneAtATime<T>(path: string, fn: () => Promise<T>): Promise<T> {
  if (path === ':memory:') return fn();
  const run = (migrating.get(path) ?? Promise.resolve()).catch(() => undefined).then(fn);
  migrating.set(path, run);
  const forget = () => {
    if (migrating.get(path) === run) migrating.delete(path);
  };
  run.then(forget, forget);
  return run;
}

function builtinRange(migrations: readonly Migration[]): { range?: typeof BUILTIN_VERSIONS } {
  return migrations === BUILTIN_MIGRATIONS ? { range: BUILTIN_VERSIONS } : {};
}

let memoryPools = 0;

/** `db.client.connection.pool.name`: the file path, or `:memory:<n>` so that in-memory databases stay apart. */
function poolName(path: string): string {
  return path === ':memory:' ? `:memory:${++memoryPools}` : path;
}

const INVALIDATED = /database has been invalidated/i;

/** Checkpoint at 64MB of WAL: measured ~1.7x the OTLP ingest of DuckDB's 16MB default, replay still ~1 s. */
const DEFAULT_CHECKPOINT_THRESHOLD = '64MB';

function reopeningError(cause?: unknown): WriteError {
  return new WriteError(
    'the database hit a fatal error (e.g. a full disk) and is being reopened; nothing of this request was stored, retry shortly',
    cause === undefined ? {} : { cause },
  );
}

function asRecord<T>(
  Type: { new (...args: never[]): T; from(input: unknown, index?: number): T },
  value: unknown,
  index: number,
): T {
  return value instanceof Type ? value : Type.from(value, index);
}
