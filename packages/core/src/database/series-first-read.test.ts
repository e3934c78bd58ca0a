import type { DuckDBConnection } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestPoint, writePoints } from '../../test/support/write-points.ts';
import { compiled } from '../query/compiled-query.ts';
import { selectMetrics } from '../query/metric-select.ts';
import { Database } from './database.ts';

const T0 = BigInt(Date.UTC(2024, 0, 2)) * 1_000_000n;
const SECOND = 1_000_000_000n;
const point = (exchange: string, i: number): TestPoint => ({
  name: 'order_latency_ms',
  time: T0 + BigInt(i) * SECOND,
  value: i,
  symbol: 'BTC/USD',
  labels: { exchange },
});
const btc = () => selectMetrics().name('order_latency_ms').symbol('BTC/USD').limit(1000);
const exchanges = async (db: Database) =>
  new Set((await db.execute(btc())).rows.map((r) => JSON.parse(r.attributes).exchange as string));

let db: Database;
beforeEach(async () => {
  db = await Database.open(':memory:');
});
afterEach(() => db.close());

describe('series-first queries', () => {
  it('find the points of a series that a later write adds', async () => {
    await writePoints(db, [point('alpaca', 1)]);
    expect(await exchanges(db)).toEqual(new Set(['alpaca']));
    await writePoints(db, [point('alpaca', 2)]);
    expect(await exchanges(db)).toEqual(new Set(['alpaca']));
    await writePoints(db, [point('kraken', 3)]);
    expect(await exchanges(db)).toEqual(new Set(['alpaca', 'kraken']));
  });

  it('find a series written through a raw connection, and one written by a concurrent commit', async () => {
    await writePoints(db, [point('alpaca', 1)]);
    expect(await exchanges(db)).toEqual(new Set(['alpaca']));
    await db.withConnection(async (c) => {
      await c.run(
        `INSERT INTO metric_series (series_id, name, symbol, attributes) VALUES (7, 'order_latency_ms', 'BTC/USD', '{"exchange":"raw"}')`,
      );
      await c.run(
        `INSERT INTO metric_points (series_id, ts, time_unix_nano, kind, value) VALUES (7, '2024-01-02 00:00:05', 1704153605000000000, 1, 5)`,
      );
    });
    expect(await exchanges(db)).toEqual(new Set(['alpaca', 'raw']));
    // Queries racing a commit that adds a series: every one that starts after the commit sees it.
    const write = writePoints(db, [point('binance', 4)]);
    const during = exchanges(db);
    await write;
    const after = await exchanges(db);
    expect(after).toEqual(new Set(['alpaca', 'raw', 'binance']));
    expect([...(await during)].every((e) => after.has(e))).toBe(true);
  });

  it('answer as the compiled statement does when more series match than it takes as literals', async () => {
    await writePoints(
      db,
      Array.from({ length: 600 }, (_, i) => point(`venue-${i}`, i)),
    );
    const query = btc().limit(700).compile();
    const { rows } = await db.query(query);
    expect(rows).toHaveLength(600);
    expect(rows).toEqual((await db.query(compiled(query.sql, query.params))).rows);
  });

  it('answer the same whichever shortcut answered before (a hint only changes where probing starts)', async () => {
    const points = Array.from({ length: 400 }, (_, i) => point(i % 2 ? 'alpaca' : 'kraken', i));
    await writePoints(db, points);
    const from = T0;
    const to = T0 + 400n * SECOND;
    for (const limit of [5, 300, 5, 300, 5]) {
      const query = btc().between(from, to).limit(limit).compile();
      const { rows } = await db.query(query);
      expect(rows.map((r) => r.value)).toEqual(
        Array.from({ length: Math.min(limit, 400) }, (_, i) => 399 - i),
      );
    }
  });
});

describe('withReadConnection', () => {
  it('keeps nothing the function writes, unless it commits itself (then later queries see it)', async () => {
    await writePoints(db, [point('alpaca', 1)]);
    expect(await exchanges(db)).toEqual(new Set(['alpaca']));
    const insertSeries = (id: number, exchange: string) => async (c: DuckDBConnection) => {
      await c.run(
        `INSERT INTO metric_series (series_id, name, symbol, attributes) VALUES (${id}, 'order_latency_ms', 'BTC/USD', '{"exchange":"${exchange}"}')`,
      );
      await c.run(
        `INSERT INTO metric_points (series_id, ts, time_unix_nano, kind, value) VALUES (${id}, '2024-01-02 00:00:09', 1704153609000000000, 1, 9)`,
      );
    };
    await db.withReadConnection(insertSeries(8, 'discarded'));
    expect(await exchanges(db)).toEqual(new Set(['alpaca']));
    await db.withReadConnection(async (c) => {
      await c.run('COMMIT');
      await insertSeries(9, 'committed')(c);
    });
    expect(await exchanges(db)).toEqual(new Set(['alpaca', 'committed']));
  });
});
