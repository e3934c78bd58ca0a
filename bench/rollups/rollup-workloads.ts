import {
  aggregateMetrics,
  type CompiledQuery,
  candles,
  type Database,
  histogramQuantiles,
  type RollupPlan,
} from '@duckside/core';
import { ROLLUP_DATA_START, ROLLUP_SYMBOLS } from './rollup-bench-data.ts';

/** A query the rollups section times from rollups and from raw rows. */
export interface RollupWorkload {
  id: string;
  title: string;
  /** The builder; compiled with the plan it answers from rollups, without it from raw rows. */
  // biome-ignore lint/suspicious/noExplicitAny: the four builders have different row types
  builder: { compile(plan?: RollupPlan): CompiledQuery<any> };
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** The four workloads of the issue over a data set of `days` days (ranges end at its last hour boundary). */
export function rollupWorkloads(days: number): RollupWorkload[] {
  const end = ROLLUP_DATA_START + days * DAY;
  const last = (d: number) => [iso(end - Math.min(d, days) * DAY), iso(end)] as const;
  const symbol = ROLLUP_SYMBOLS[0] as string;
  const span = (d: number) => `${Math.min(d, days)} d`;
  return [
    {
      id: 'ohlcv_1h_90d',
      title: `OHLCV 1h of one symbol over ${span(90)} (from trades)`,
      builder: candles(symbol)
        .fromTrades()
        .interval('1h')
        .between(...last(90)),
    },
    {
      id: 'candles_1m_7d',
      title: `1m candles of one symbol over ${span(7)} (from trades)`,
      builder: candles(symbol)
        .fromTrades()
        .interval('1m')
        .between(...last(7)),
    },
    {
      id: 'p99_1h_30d',
      title: `1h p99 of a latency histogram per symbol over ${span(30)}`,
      builder: histogramQuantiles('order_latency_ms')
        .quantiles([0.99])
        .interval('1h')
        .groupBy({ by: 'symbol' })
        .between(...last(30)),
    },
    {
      id: 'rate_1h_30d',
      title: `rate of a counter per symbol at 1h over ${span(30)}`,
      builder: aggregateMetrics('orders_total')
        .fn('rate')
        .interval('1h')
        .groupBy({ by: 'symbol' })
        .between(...last(30)),
    },
  ];
}

/** Runs a workload from rollups (the database's plan) and returns rows and source. */
export async function fromRollups(db: Database, w: RollupWorkload) {
  return db.execute(w.builder);
}

/** Runs a workload from raw rows. */
export async function fromRaw(db: Database, w: RollupWorkload) {
  return db.query(w.builder.compile());
}

/**
 * Checks two answers agree: same rows, numbers equal to 1e-9 relative (sums of prices add up in another order).
 * @throws Error naming the workload and the first row that differs.
 */
export function assertSameRows(
  id: string,
  a: readonly Record<string, unknown>[],
  b: readonly Record<string, unknown>[],
): void {
  const key = (r: Record<string, unknown>) =>
    JSON.stringify([r.ts ?? r.bucket, r.group ?? r.symbol, r.venue, r.quantile]);
  const sort = (rows: readonly Record<string, unknown>[]) =>
    [...rows].sort((x, y) => key(x).localeCompare(key(y)));
  const x = sort(a);
  const y = sort(b);
  if (x.length !== y.length)
    throw new Error(`${id}: rollup and raw answers differ: ${x.length} vs ${y.length} rows`);
  for (let i = 0; i < x.length; i++) {
    for (const [k, v] of Object.entries(x[i] as Record<string, unknown>)) {
      const w = (y[i] as Record<string, unknown>)[k];
      const same =
        typeof v === 'number' && typeof w === 'number'
          ? Math.abs(v - w) <= 1e-9 * Math.max(1, Math.abs(v), Math.abs(w))
          : JSON.stringify(v) === JSON.stringify(w);
      if (!same) throw new Error(`${id}: rollup and raw answers differ at row ${i}, ${k}: ${v} vs ${w}`);
    }
  }
}
