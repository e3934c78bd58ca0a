/**
 * Duckside's own targets (issue 20), each a ratio to a peer measured in the same run: core writes at >= 0.9x the
 * raw data-chunk speed; the builder takes <= 1.10x the time of the hand-written SQL; every query is at least as
 * fast as PostgreSQL's; 10,000 concurrent single inserts reach >= 0.5x the rows/s of one `insertMetrics` call
 * with the same records; with OpenTelemetry providers registered core ingest keeps >= 0.97x of its speed.
 */
export const TARGETS = {
  /** core rows/s ÷ raw data-chunk rows/s. */
  ingestRatio: 0.9,
  /** API time ÷ raw SQL time. */
  apiOverRaw: 1.1,
  /** PostgreSQL time ÷ Duckside time. */
  postgresOverDuckside: 1.0,
  /** concurrent `insertMetric` rows/s ÷ `insertMetrics` rows/s. */
  concurrentOverBatch: 0.5,
  /** core ingest rows/s with OpenTelemetry providers registered ÷ without (issue 16: <= 3% overhead). */
  selfInstrumentation: 0.97,
} as const;

/** A claim of the original (Rust) design and the figure of ours that answers it. */
export interface Claim {
  claim: string;
  /** The result key holding Duckside's figure, and PostgreSQL's when comparable. */
  duckside: string;
  postgres?: string;
  /** The claimed bound and whether bigger is better (throughput) or smaller (latency). */
  bound: number;
  better: 'higher' | 'lower';
  unit: 'ms' | 'rows/s';
  /** How we measured it. */
  how: string;
}

/** The original design's performance claims. */
export const CLAIMS: readonly Claim[] = [
  {
    claim: '10,000+ inserts/s',
    duckside: 'core.single.concurrent_rows_per_s',
    bound: 10_000,
    better: 'higher',
    unit: 'rows/s',
    how: '10,000 concurrent `db.insertMetric` calls',
  },
  {
    claim: 'a 10,000-record batch in 50 ms',
    duckside: 'core.single.batch10k_ms',
    bound: 50,
    better: 'lower',
    unit: 'ms',
    how: '`db.insertMetrics` of 10,000 `MetricRecord`s',
  },
  {
    claim: 'filtered query on 1M rows < 50 ms',
    duckside: 'core.query.filter_limit.api_ms',
    postgres: 'core.query.filter_limit.pg_ms',
    bound: 50,
    better: 'lower',
    unit: 'ms',
    how: 'filter + limit (name, symbol, one day, newest 100)',
  },
  {
    claim: 'aggregate < 100 ms',
    duckside: 'core.query.bucket_one.api_ms',
    postgres: 'core.query.bucket_one.pg_ms',
    bound: 100,
    better: 'lower',
    unit: 'ms',
    how: '1-minute average of one series over one day',
  },
  {
    claim: 'candles < 75 ms',
    duckside: 'core.query.ohlcv_one.api_ms',
    postgres: 'core.query.ohlcv_one.pg_ms',
    bound: 75,
    better: 'lower',
    unit: 'ms',
    how: 'OHLCV 1-minute candles of one symbol over one day',
  },
];
