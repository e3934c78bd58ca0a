import { type Database, fillAnalysis, filledCandles, timeWeighted } from '@duckside/core';
import type pg from 'pg';
import { DATA_DAYS, DATA_START } from '../core/trading-data.ts';
import { timestampText } from './analytics-load.ts';

/** Figures a workload's result is reduced to, for checking that both engines answered the same. */
export type Figures = Record<string, number>;

/** One analytics workload, as Duckside answers it and as PostgreSQL does. */
export interface AnalyticsWorkload {
  id: string;
  title: string;
  /** The issue's target: at least this many times faster than PostgreSQL. */
  targetRatio: number;
  /** And, when set, at most this many milliseconds for Duckside. */
  targetMs?: number;
  /** How PostgreSQL answers it. */
  peer: string;
  duckside: (db: Database) => Promise<Figures>;
  postgres: (client: pg.Client) => Promise<Figures>;
}

const FROM = DATA_START;
const TO = DATA_START + DATA_DAYS * 86_400_000;
const RANGE = [timestampText(FROM * 1000), timestampText(TO * 1000)];

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const sum = (values: readonly unknown[]) => values.reduce<number>((a, v) => a + num(v), 0);

async function duckRow(db: Database, sql: string, params: readonly unknown[]): Promise<Figures> {
  return db.withConnection(async (c) => {
    const reader = await c.runAndReadAll(sql, params as never);
    const row = reader.getRowObjectsJS()[0] ?? {};
    return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, num(v)]));
  });
}

async function pgRow(client: pg.Client, sql: string): Promise<Figures> {
  const { rows } = await client.query(sql, RANGE);
  return Object.fromEntries(Object.entries(rows[0] ?? {}).map(([k, v]) => [k, num(v)]));
}

/** Figures of gap-filled candles: row and filled counts, sums of close and volume. */
function candleFigures(rows: readonly { filled: boolean; close: unknown; volume: unknown }[]): Figures {
  return {
    rows: rows.length,
    filled: rows.filter((r) => r.filled).length,
    close: sum(rows.map((r) => r.close)),
    volume: sum(rows.map((r) => r.volume)),
  };
}

const HORIZONS = ['1 second', '5 seconds', '60 seconds'];

/** The per-fill analysis in PostgreSQL: a LATERAL ... ORDER BY ts DESC LIMIT 1 per mid lookup. */
const POSTGRES_FILLS = `
SELECT f.*, a.v AS arrival_mid, f.s * (f.price - a.v) / a.v * 1e4 AS slippage_bps,
  f.fee / (f.price * f.quantity) * 1e4 AS fee_bps,
  ${HORIZONS.map((_, i) => `f.s * (m${i}.v - f.price) / f.price * 1e4 AS mk${i}`).join(', ')}
FROM (SELECT *, CASE WHEN side = 'sell' THEN -1 ELSE 1 END AS s FROM trades WHERE ts >= $1 AND ts < $2) f
LEFT JOIN LATERAL (SELECT value AS v FROM prices p WHERE p.name = 'mid' AND p.symbol = f.symbol AND p.ts <= f.ts
  ORDER BY p.ts DESC LIMIT 1) a ON true
${HORIZONS.map(
  (h, i) => `LEFT JOIN LATERAL (SELECT value AS v FROM prices p WHERE p.name = 'mid' AND p.symbol = f.symbol
  AND p.ts <= f.ts + interval '${h}' ORDER BY p.ts DESC LIMIT 1) m${i} ON true`,
).join('\n')}`;

const pgStats = (c: string) =>
  `avg(${c}) AS ${c}_avg, percentile_cont(0.5) WITHIN GROUP (ORDER BY ${c}) AS ${c}_p50`;

/** The four workloads of the issue, over the whole seven days. */
export const ANALYTICS_WORKLOADS: readonly AnalyticsWorkload[] = [
  {
    id: 'fills',
    title: 'fill analysis: arrival mid + 3 markouts per fill',
    targetRatio: 20,
    targetMs: 2000,
    peer: 'LATERAL (... ORDER BY ts DESC LIMIT 1) per lookup',
    duckside: async (db) => {
      const q = fillAnalysis('mid').between(FROM, TO).limit(1_000_000).compile();
      return duckRow(
        db,
        `SELECT count(*)::DOUBLE AS fills, count(arrival_mid)::DOUBLE AS priced, sum(slippage_bps) AS slippage,
  sum(markout_bps[1]) AS mk0, sum(markout_bps[2]) AS mk1, sum(markout_bps[3]) AS mk2 FROM (${q.sql})`,
        q.params,
      );
    },
    postgres: (client) =>
      pgRow(
        client,
        `SELECT count(*)::float8 AS fills, count(arrival_mid)::float8 AS priced, sum(slippage_bps) AS slippage,
  sum(mk0) AS mk0, sum(mk1) AS mk1, sum(mk2) AS mk2 FROM (${POSTGRES_FILLS}) x`,
      ),
  },
  {
    id: 'summary',
    title: 'fill summary per strategy, symbol and venue',
    targetRatio: 10,
    peer: 'the same LATERAL lookups, GROUP BY with percentile_cont',
    duckside: async (db) => {
      const { rows } = await db.execute(fillAnalysis('mid').between(FROM, TO).summary());
      return {
        groups: rows.length,
        fills: sum(rows.map((r) => r.fills)),
        slippage_avg: sum(rows.map((r) => r.slippage_bps.avg)),
        slippage_p50: sum(rows.map((r) => r.slippage_bps.p50)),
        mk0_avg: sum(rows.map((r) => r.markouts[0]?.avg)),
        mk2_p50: sum(rows.map((r) => r.markouts[2]?.p50)),
      };
    },
    postgres: async (client) => {
      const { rows } = await client.query(
        `SELECT strategy, symbol, venue, count(*) AS fills, ${pgStats('slippage_bps')}, ${pgStats('mk0')}, ${pgStats('mk2')}
         FROM (${POSTGRES_FILLS}) x GROUP BY 1, 2, 3`,
        RANGE,
      );
      return {
        groups: rows.length,
        fills: sum(rows.map((r) => r.fills)),
        slippage_avg: sum(rows.map((r) => r.slippage_bps_avg)),
        slippage_p50: sum(rows.map((r) => r.slippage_bps_p50)),
        mk0_avg: sum(rows.map((r) => r.mk0_avg)),
        mk2_p50: sum(rows.map((r) => r.mk2_p50)),
      };
    },
  },
  {
    id: 'candles',
    title: 'gap-filled 1-minute candles, 7 days, all symbols (previous close)',
    targetRatio: 10,
    peer: 'generate_series grid, previous close by a running-count window',
    duckside: async (db) => {
      const { rows } = await db.execute(
        filledCandles().fromTrades().interval('1m').between(FROM, TO).fill('prev'),
      );
      return candleFigures(rows);
    },
    postgres: async (client) => {
      const { rows } = await client.query(
        `WITH c AS (
  SELECT symbol, date_bin('1 minute', ts, TIMESTAMP '2000-01-03') AS b, (array_agg(price ORDER BY ts))[1] AS open,
    max(price) AS high, min(price) AS low, (array_agg(price ORDER BY ts DESC))[1] AS close, sum(quantity) AS volume
  FROM trades WHERE ts >= $1 AND ts < $2 GROUP BY 1, 2),
grid AS (SELECT s.symbol, b FROM (SELECT DISTINCT symbol FROM c) s
  CROSS JOIN generate_series($1::timestamp, $2::timestamp - interval '1 minute', interval '1 minute') b),
j AS (SELECT grid.symbol, grid.b, c.open, c.high, c.low, c.close, c.volume,
  count(c.close) OVER (PARTITION BY grid.symbol ORDER BY grid.b) AS grp FROM grid LEFT JOIN c USING (symbol, b))
SELECT symbol, b, coalesce(open, first_value(close) OVER w) AS open, coalesce(high, first_value(close) OVER w) AS high,
  coalesce(low, first_value(close) OVER w) AS low, coalesce(close, first_value(close) OVER w) AS close,
  coalesce(volume, 0) AS volume, volume IS NULL AS filled
FROM j WINDOW w AS (PARTITION BY symbol, grp ORDER BY b) ORDER BY b, symbol`,
        RANGE,
      );
      return candleFigures(rows);
    },
  },
  {
    id: 'twap',
    title: 'TWAP of spread per symbol per hour, 7 days',
    targetRatio: 10,
    peer: 'lead() segments split per hour by generate_series',
    duckside: async (db) => {
      const { rows } = await db.execute(
        timeWeighted('spread_bps').interval('1h').groupBy({ by: 'symbol' }).between(FROM, TO),
      );
      return {
        rows: rows.length,
        twa: sum(rows.map((r) => r.twa)),
        integral: sum(rows.map((r) => r.integral)),
      };
    },
    postgres: async (client) => {
      const { rows } = await client.query(
        `WITH pts AS (
  SELECT symbol, ts, value FROM prices WHERE name = 'spread_bps' AND ts >= $1 AND ts < $2
  UNION ALL
  SELECT DISTINCT ON (symbol) symbol, $1::timestamp, value FROM prices WHERE name = 'spread_bps' AND ts < $1
  ORDER BY symbol, ts DESC),
seg AS (SELECT symbol, ts AS s, coalesce(lead(ts) OVER (PARTITION BY symbol ORDER BY ts), $2::timestamp) AS e, value FROM pts),
parts AS (SELECT symbol, b, value,
    extract(epoch FROM least(e, b + interval '1 hour') - greatest(s, b)) AS secs
  FROM seg, generate_series(date_trunc('hour', s), e - interval '1 microsecond', interval '1 hour') b)
SELECT symbol, b, sum(value * secs) / nullif(sum(secs), 0) AS twa, sum(value * secs) AS integral
FROM parts GROUP BY 1, 2 ORDER BY 2, 1`,
        RANGE,
      );
      return {
        rows: rows.length,
        twa: sum(rows.map((r) => r.twa)),
        integral: sum(rows.map((r) => r.integral)),
      };
    },
  },
];

/**
 * Checks two engines' figures agree (counts exactly, sums to 1e-6 relative).
 * @throws Error naming the first figure that differs.
 */
export function assertSameFigures(id: string, duckside: Figures, postgres: Figures): void {
  for (const [key, d] of Object.entries(duckside)) {
    const p = postgres[key];
    if (p === undefined || Math.abs(d - p) > 1e-6 * Math.max(1, Math.abs(d), Math.abs(p))) {
      throw new Error(`${id}: Duckside and PostgreSQL differ on ${key}: ${d} vs ${p}`);
    }
  }
}
