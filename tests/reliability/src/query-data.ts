import { Database } from '@duckside/core';

/** Name of the metric {@link seedQueryData} writes. */
export const QUERY_METRIC = 'rel_q';

/**
 * Fills a new database file for the query scenarios: `metricRows` points of {@link QUERY_METRIC} one millisecond
 * apart (50 symbols, 1000 values of label `k`), written with one SQL statement, plus a few trades, candles and
 * events through core's insert methods.
 * @example await seedQueryData(path, 1_000_000);
 */
export async function seedQueryData(path: string, metricRows: number): Promise<void> {
  const db = await Database.open({ path });
  try {
    await db.withConnection((c) =>
      c.run(
        // 1000 series (label k; the symbol follows from it), the points spread over them.
        `INSERT INTO metric_series (series_id, name, symbol, service, attributes)
           SELECT j, '${QUERY_METRIC}', 'SYM' || (j % 50), 'svc', '{"k":"v' || j || '"}' FROM range(1000) t(j);
         INSERT INTO metric_points (series_id, ts, time_unix_nano, kind, temporality, value)
           SELECT i % 1000, make_timestamp(1765000000000000 + i * 1000), (1765000000000000 + i * 1000) * 1000, 1, 0,
                  random() * 100
           FROM range(${Math.trunc(metricRows)}) t(i)`,
      ),
    );
    const ts = '2025-12-06T06:00:00Z';
    await db.insertTrades([
      {
        timestamp: ts,
        symbol: 'BTC/USD',
        venue: 'kraken',
        side: 'buy',
        quantity: 1,
        price: 100,
        strategy: 's1',
      },
      {
        timestamp: ts,
        symbol: 'ETH/USD',
        venue: 'kraken',
        side: 'sell',
        quantity: 2,
        price: 50,
        strategy: 's2',
      },
    ]);
    await db.insertCandles([
      {
        timestamp: ts,
        symbol: 'BTC/USD',
        venue: 'kraken',
        interval: '1m',
        open: 1,
        high: 2,
        low: 0.5,
        close: 1.5,
        volume: 10,
      },
    ]);
    await db.insertEvents([{ severity: 'info', source: 'seed', message: 'seeded' }]);
  } finally {
    await db.close();
  }
}
