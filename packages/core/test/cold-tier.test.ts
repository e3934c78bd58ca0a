import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ColdTier, compiled, Database, MetricRecord, TIER_TABLES, tableGlob } from '../src/index.ts';
import { tempDirectory } from './support/temp-directory.ts';
import { everyView, TIER_T0, writeTierData } from './support/tier-data.ts';

const dir = tempDirectory();
const DAY = 86_400_000;
/** "Now" for the tests: noon of 2024-01-06, so with one hot day 2024-01-01..04 are cold. */
const NOW = TIER_T0 + 5 * DAY + DAY / 2;

async function openWithTier(name: string, days = 5) {
  const path = dir.path(`${name}.duckdb`);
  const cold = dir.path(`${name}.cold`);
  const db = await Database.open({ path, externalAccess: false, allowedDirectories: [`${cold}/`] });
  await writeTierData(db, days);
  return { db, path, cold };
}

async function hotRows(db: Database, table: string): Promise<number> {
  const [row] = await db.withConnection(async (c) =>
    (await c.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM main.${table}`)).getRowObjectsJS(),
  );
  return Number(row?.n);
}

describe('the cold tier', () => {
  it('moves old days to Parquet and every view answers the same before and after', async () => {
    const { db, cold } = await openWithTier('round-trip');
    const before = await everyView(db);
    const tier = await ColdTier.open(db, { dir: cold, hotDays: 1 });
    const report = await tier.offload(NOW);
    // 7 tables x 4 days (2024-01-01..04); the 5th day stays hot.
    expect(report.moved.map((m) => `${m.table}/${m.day}`).length).toBe(TIER_TABLES.length * 4);
    expect(await hotRows(db, 'metric_points')).toBe(288);
    expect(await hotRows(db, 'trading_trades')).toBe(24);
    expect(await everyView(db)).toEqual(before);
    const stats = await tier.stats();
    expect(stats).toMatchObject({ files: 28, days: 4, oldestDay: '2024-01-01', newestDay: '2024-01-04' });
    expect(stats.tables.trading_metrics?.rows).toBe(4 * 288);
    expect(readdirSync(join(cold, 'trading_metrics')).sort()).toEqual([
      'date=2024-01-01',
      'date=2024-01-02',
      'date=2024-01-03',
      'date=2024-01-04',
    ]);
    // A second round finds nothing to move.
    expect((await tier.offload(NOW)).moved).toEqual([]);
    await db.close();
  });

  it('shows a late point for a cold day from the hot tier, then moves it into a second part', async () => {
    const { db, cold } = await openWithTier('late', 3);
    const tier = await ColdTier.open(db, { dir: cold, hotDays: 0 });
    await tier.offload(TIER_T0 + 3 * DAY);
    const late = new MetricRecord('latency_ms', 1234, TIER_T0 + DAY + 5)
      .withSymbol('BTC/USD')
      .addLabel('venue', 'a');
    await db.insertMetric(late);
    const count = compiled<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM trading_metrics WHERE value = 1234`,
      [],
    );
    expect((await db.all(count))[0]?.n).toBe(1);
    const before = await everyView(db);
    const moved = await tier.offload(TIER_T0 + 3 * DAY);
    expect(moved.moved).toEqual([
      { table: 'trading_metrics', day: '2024-01-02', part: 1, rows: 1, bytes: expect.any(Number) },
    ]);
    expect(existsSync(join(cold, 'trading_metrics/date=2024-01-02/part-1.parquet'))).toBe(true);
    expect(await everyView(db)).toEqual(before);
    await db.close();
  });

  it('drops whole cold days for retention', async () => {
    const { db, cold } = await openWithTier('retention', 4);
    const tier = await ColdTier.open(db, { dir: cold, hotDays: 0 });
    await tier.offload(TIER_T0 + 4 * DAY);
    // A cutoff inside 2024-01-03 drops 01 and 02 only.
    expect(await tier.dropBefore(TIER_T0 + 2 * DAY + 3_600_000)).toBe(2 * (288 + 24 * 5 + 4));
    expect(readdirSync(join(cold, 'trading_trades')).sort()).toEqual(['date=2024-01-03', 'date=2024-01-04']);
    const [row] = await db.all(
      compiled<{ oldest: Date }>('SELECT min(ts) AS oldest FROM trading_trades', []),
    );
    expect(row?.oldest.getTime()).toBe(TIER_T0 + 2 * DAY + 5 + 1000);
    await db.close();
  });

  it('opens only the files of the day a one-day query asks for', async () => {
    const { db, cold } = await openWithTier('pruning', 6);
    const tier = await ColdTier.open(db, { dir: cold, hotDays: 0 });
    await tier.offload(TIER_T0 + 6 * DAY);
    const plan = await db.withConnection(async (c) => {
      await c.run(`SET search_path = 'duckside_tiers,main'`);
      const r = await c.runAndReadAll(
        `EXPLAIN ANALYZE SELECT count(*) FROM trading_metrics WHERE ts >= TIMESTAMP '2024-01-03' AND ts < TIMESTAMP '2024-01-04'`,
      );
      await c.run('RESET search_path');
      return r
        .getRowsJS()
        .map((row) => String(row[1]))
        .join('\n');
    });
    const filesRead = [...plan.matchAll(/Total Files Read: (\d+)/g)].map((m) => Number(m[1]));
    expect(filesRead).toEqual([1]);
    const all = await db.all(
      compiled<{ n: number }>('SELECT count(*)::INTEGER AS n FROM trading_metrics', []),
    );
    expect(all[0]?.n).toBe(6 * 288);
    await db.close();
  });

  it('writes files that a fresh DuckDB reads with hive partitioning, with the documented types', async () => {
    const { db, cold } = await openWithTier('read-back', 3);
    const expected = await db.all(
      compiled<{ n: number }>('SELECT count(*)::INTEGER AS n FROM trading_metrics', []),
    );
    const tier = await ColdTier.open(db, { dir: cold, hotDays: 0 });
    await tier.offload(TIER_T0 + 3 * DAY);
    await db.close();
    const fresh = await DuckDBInstance.create(':memory:');
    const c = await fresh.connect();
    const glob = tableGlob(cold, 'trading_metrics');
    const counted = await c.runAndReadAll(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT date)::INTEGER AS days FROM read_parquet('${glob}', hive_partitioning = true)`,
    );
    expect(counted.getRowObjectsJS()[0]).toEqual({ n: expected[0]?.n, days: 3 });
    const types = await c.runAndReadAll(
      `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${glob}', hive_partitioning = true))`,
    );
    const byName = Object.fromEntries(types.getRowsJS().map(([n, t]) => [n, t]));
    expect(byName).toMatchObject({
      ts: 'TIMESTAMP',
      time_unix_nano: 'BIGINT',
      name: 'VARCHAR',
      service: 'VARCHAR',
      symbol: 'VARCHAR',
      attributes: 'VARCHAR',
      kind: 'UTINYINT',
      value: 'DOUBLE',
      series_id: 'UBIGINT',
      date: 'DATE',
    });
    const oneDay = await c.runAndReadAll(
      `SELECT count(*)::INTEGER AS n FROM read_parquet('${glob}', hive_partitioning = true) WHERE date = DATE '2024-01-02'`,
    );
    expect(oneDay.getRowObjectsJS()[0]?.n).toBe(288);
    c.closeSync();
  });

  it('writes files an independent Parquet reader (hyparquet) reads back, sorted by series and time', async () => {
    const { db, cold } = await openWithTier('hyparquet', 2);
    const tier = await ColdTier.open(db, { dir: cold, hotDays: 0 });
    await tier.offload(TIER_T0 + 2 * DAY);
    const hot = await db.all(
      compiled<{ name: string; value: number }>(
        `SELECT name, value FROM trading_metrics WHERE ts < TIMESTAMP '2024-01-02' ORDER BY series_id, ts`,
        [],
      ),
    );
    await db.close();
    const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
    const { compressors } = await import('hyparquet-compressors');
    const file = await asyncBufferFromFile(join(cold, 'trading_metrics/date=2024-01-01/part-0.parquet'));
    const rows = await parquetReadObjects({ file, compressors, columns: ['name', 'symbol', 'ts', 'value'] });
    expect(rows.length).toBe(288);
    expect(rows.map((r) => ({ name: r.name, value: r.value }))).toEqual(
      hot.map((r) => ({ name: r.name, value: r.value })),
    );
    expect(rows[0]?.ts).toBeInstanceOf(Date);
    const times = rows.filter((r) => r.name === 'latency_ms').map((r) => (r.ts as Date).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
