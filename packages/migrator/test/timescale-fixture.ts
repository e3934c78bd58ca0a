import type pg from 'pg';

/** Days the generated data spans (from 2024-01-01 UTC). */
export const DAYS = 10;

/**
 * Loads a Timescale-like schema into PostgreSQL, generated with generate_series: `metrics` (time, name, value,
 * symbol, labels jsonb) with `metricRows` rows over {@link DAYS} days and a time index like a hypertable's,
 * `trades` and `candles` (5-minute OHLCV without a venue column).
 */
export async function loadTimescaleLike(client: pg.Client, metricRows: number): Promise<void> {
  const step = (DAYS * 86_400_000_000) / metricRows;
  await client.query(`
    CREATE TABLE metrics (time timestamptz NOT NULL, name text NOT NULL, value double precision NOT NULL,
      symbol text, labels jsonb NOT NULL DEFAULT '{}');
    INSERT INTO metrics
      SELECT timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => (i::float8 * ${step}) / 1e6),
        (ARRAY['order_latency_ms','spread_bps','fill_ratio','queue_depth'])[1 + i % 4],
        (i % 1000) / 8.0,
        CASE WHEN i % 50 = 0 THEN NULL ELSE (ARRAY['BTC/USD','ETH/USD','SOL/USD'])[1 + i % 3] END,
        jsonb_build_object('venue', (ARRAY['kraken','coinbase'])[1 + i % 2], 'depth', i % 10, 'ratio', (i % 7) + 0.5,
          'region', 'eu')
      FROM generate_series(0, ${metricRows - 1}) i;
    CREATE INDEX metrics_time_idx ON metrics (time DESC);
    CREATE TABLE trades (time timestamptz NOT NULL, symbol text NOT NULL, exchange text NOT NULL, side text NOT NULL,
      qty numeric NOT NULL, price numeric NOT NULL, fee numeric, order_id text, id text, strategy text);
    INSERT INTO trades
      SELECT timestamptz '2024-01-01 00:00:00+00' + make_interval(secs => i * 17),
        (ARRAY['BTC/USD','ETH/USD'])[1 + i % 2], 'kraken', CASE WHEN i % 3 = 0 THEN 'SELL' ELSE 'buy' END,
        1 + (i % 5) * 0.25, 30000 + (i % 100), CASE WHEN i % 4 = 0 THEN NULL ELSE 0.1 END,
        'o-' || (i / 3), 't-' || i, 'mm'
      FROM generate_series(0, 49999) i;
    CREATE TABLE candles (bucket timestamp NOT NULL, symbol text NOT NULL, open float8, high float8, low float8,
      close float8, volume float8);
    INSERT INTO candles
      SELECT timestamp '2024-01-01' + make_interval(mins => i * 5), 'BTC/USD', 100 + i % 7, 110 + i % 7, 95 + i % 7,
        105 + i % 7, 1000 + i
      FROM generate_series(0, 2879) i;`);
  await client.query('VACUUM ANALYZE');
}
