import {
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
  metrics,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { PoolStats } from '../connection/connection-pool.ts';
import { summarizeQuery } from './query-summary.ts';
import { DURATION_BUCKETS_S, ROW_BUCKETS, TELEMETRY } from './telemetry-names.ts';

const M = TELEMETRY.metrics;
const A = TELEMETRY.attributes;
const VERSION = '0.1.0';

/** What a database shows of its pool to the connection gauges. */
export interface PoolSource {
  /** `db.client.connection.pool.name`: the database path. */
  readonly name: string;
  stats(): PoolStats;
}

/** Pools of the databases open in this process, observed by the connection gauges. */
const openPools = new Set<PoolSource>();

/** The instruments of one meter provider (rebuilt when another provider is registered). */
class Instruments {
  readonly duration: Histogram;
  readonly returnedRows: Histogram;
  readonly rowsWritten: Counter;
  readonly commitRows: Histogram;

  constructor(provider: MeterProvider) {
    const meter = provider.getMeter(TELEMETRY.scope, VERSION);
    this.duration = meter.createHistogram(M.operationDuration, {
      unit: 's',
      description: 'Duration of database operations: commit rounds and queries',
      advice: { explicitBucketBoundaries: [...DURATION_BUCKETS_S] },
    });
    this.returnedRows = meter.createHistogram(M.returnedRows, {
      unit: '{row}',
      description: 'Rows returned by a query',
      advice: { explicitBucketBoundaries: [...ROW_BUCKETS] },
    });
    this.rowsWritten = meter.createCounter(M.rowsWritten, {
      unit: '{row}',
      description: 'Rows committed, by table',
    });
    this.commitRows = meter.createHistogram(M.commitRows, {
      unit: '{row}',
      description: 'Rows per commit round',
      advice: { explicitBucketBoundaries: [...ROW_BUCKETS] },
    });
    const observe = (name: string, unit: string, description: string, read: (s: PoolStats) => number) =>
      meter.createObservableUpDownCounter(name, { unit, description }).addCallback((result) => {
        for (const pool of openPools) result.observe(read(pool.stats()), { [A.poolName]: pool.name });
      });
    meter
      .createObservableUpDownCounter(M.connectionCount, {
        unit: '{connection}',
        description: 'Connections of the pool, by state',
      })
      .addCallback((result) => {
        for (const pool of openPools) {
          const s = pool.stats();
          result.observe(s.available, { [A.poolName]: pool.name, [A.connectionState]: 'idle' });
          result.observe(s.borrowed, { [A.poolName]: pool.name, [A.connectionState]: 'used' });
        }
      });
    observe(M.connectionMax, '{connection}', 'Most connections the pool opens', (s) => s.max);
    observe(M.connectionIdleMin, '{connection}', 'Connections the pool keeps open', (s) => s.min);
    observe(M.pendingRequests, '{request}', 'Callers waiting for a connection', (s) => s.pending);
  }
}

const byProvider = new WeakMap<MeterProvider, Instruments>();

/**
 * The instruments of the meter provider registered now: a provider registered after a database opened is picked
 * up at the next operation. Without one they are the API's no-ops.
 */
function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  let found = byProvider.get(provider);
  if (!found) {
    found = new Instruments(provider);
    byProvider.set(provider, found);
  }
  return found;
}

/** The tracer of the provider registered now (looked up per operation, so a provider replaced later is used). */
const tracer = () => trace.getTracer(TELEMETRY.scope, VERSION);

/** Figures a commit round reports when it ends. */
export interface CommitFigures {
  /** Rows committed, by table. */
  readonly rowsByTable: ReadonlyMap<string, number>;
  /** Write jobs coalesced into the round. */
  readonly jobs: number;
}

/**
 * Core's self-instrumentation for one database, through `@opentelemetry/api` only: metrics and spans go to
 * whatever providers the application registered, and cost next to nothing without them. Names follow the
 * database semantic conventions (see {@link TELEMETRY}); parameter values are never recorded.
 * @example const t = new CoreTelemetry(':memory:'); await t.query(sql, 'aggregate', async () => rows);
 */
export class CoreTelemetry {
  private readonly base: Attributes;

  constructor(readonly namespace: string) {
    this.base = { [A.system]: TELEMETRY.system, [A.namespace]: namespace };
  }

  /** Lets the connection gauges observe this database's pool until {@link stopObserving}. */
  observePool(source: PoolSource): void {
    openPools.add(source);
  }

  /** Removes a pool from the connection gauges (at close). */
  stopObserving(source: PoolSource): void {
    openPools.delete(source);
  }

  /** Runs `fn` inside an internal span named `name` (open, migrate), ended with its outcome. */
  async span<T>(name: string, fn: (span: Span) => Promise<T>): Promise<T> {
    return tracer().startActiveSpan(name, { kind: SpanKind.INTERNAL, attributes: this.base }, (span) =>
      settle(span, fn(span)),
    );
  }

  /**
   * Times one commit round: a `COMMIT` span, the operation-duration histogram, rows per commit and rows per table.
   * `fn` returns the round's figures; a failed round records `error.type` and no rows.
   */
  async commit(fn: () => Promise<CommitFigures>): Promise<CommitFigures> {
    const started = performance.now();
    const span = tracer().startSpan(TELEMETRY.spans.commit, {
      kind: SpanKind.CLIENT,
      attributes: { ...this.base, [A.operation]: 'COMMIT' },
    });
    const i = instruments();
    try {
      const figures = await fn();
      let rows = 0;
      for (const [table, n] of figures.rowsByTable) {
        rows += n;
        i.rowsWritten.add(n, { ...this.base, [A.collection]: table });
      }
      i.commitRows.record(rows, this.base);
      i.duration.record(seconds(started), { ...this.base, [A.operation]: 'COMMIT' });
      span.setAttributes({ [A.commitRows]: rows, [A.commitJobs]: figures.jobs });
      return figures;
    } catch (error) {
      i.duration.record(seconds(started), {
        ...this.base,
        [A.operation]: 'COMMIT',
        [A.errorType]: errorType(error),
      });
      fail(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  /**
   * Times one query: a client span named by its summary (`SELECT trading_metrics`), the operation-duration and
   * returned-rows histograms. `fn` returns the rows.
   */
  async query<R>(sql: string, kind: string | undefined, fn: () => Promise<R[]>): Promise<R[]> {
    const started = performance.now();
    const { operation, summary } = summarizeQuery(sql);
    const attributes: Attributes = { ...this.base, [A.operation]: operation, [A.summary]: summary };
    if (kind !== undefined) attributes[A.queryKind] = kind;
    const span = tracer().startSpan(summary, { kind: SpanKind.CLIENT, attributes });
    const i = instruments();
    try {
      const rows = await fn();
      i.duration.record(seconds(started), attributes);
      i.returnedRows.record(rows.length, attributes);
      span.setAttribute(A.returnedRows, rows.length);
      return rows;
    } catch (error) {
      i.duration.record(seconds(started), { ...attributes, [A.errorType]: errorType(error) });
      fail(span, error);
      throw error;
    } finally {
      span.end();
    }
  }
}

async function settle<T>(span: Span, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
  }
}

function fail(span: Span, error: unknown): void {
  span.setAttribute(A.errorType, errorType(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
}

/** `error.type`: the Duckside error code when there is one, else the error's class name. */
function errorType(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  return (error as Error)?.constructor?.name ?? '_OTHER';
}

function seconds(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}
