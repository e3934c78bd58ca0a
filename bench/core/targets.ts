/**
 * Duckside's own targets (issue 2): core writes at >= 0.8x the raw data-chunk speed, the builder adds <= 10%
 * over raw SQL, latency ceilings on the query data set, and concurrent single inserts >= 50k rows/s.
 */
export const TARGETS = {
  ingestRatio: 0.8,
  apiOverhead: 0.1,
  /** Query ceilings in ms by workload id. */
  queryMs: { filter_limit: 20, bucket_one: 60, ohlcv_one: 80 } as Record<string, number>,
  concurrentRowsPerS: 50_000,
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

/**
 * Whether a measured value meets a bound.
 * @example meets(42, 50, 'lower') // true
 */
export function meets(
  value: number | undefined,
  bound: number,
  better: 'higher' | 'lower',
): boolean | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  return better === 'higher' ? value >= bound : value <= bound;
}
