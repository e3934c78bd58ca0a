import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database } from '@duckside/core';
import { type PostgresServer, startPostgres, type TempDir, tempDir } from '@duckside/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSource, type PostgresSourceOptions, runImport } from '../src/index.ts';
import { copyOutStream } from '../src/postgres/copy-out-stream.ts';
import { runCli, startCli } from './cli-process.ts';
import { rows, withDb } from './db-query.ts';
import { DAYS, loadTimescaleLike } from './timescale-fixture.ts';

const METRIC_ROWS = 1_000_000;

let server: PostgresServer;
let client: pg.Client;
let dir: TempDir;
let readerUrl: string;

beforeAll(async () => {
  server = await startPostgres({ settings: { shared_buffers: '256MB' } });
  client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await loadTimescaleLike(client, METRIC_ROWS);
  await client.query(`CREATE ROLE reader LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader;
    ALTER ROLE reader SET default_transaction_read_only = on`);
  readerUrl = server.url.replace('postgres@', 'reader@');
  dir = await tempDir('migrator-pg-');
});

afterAll(async () => {
  await client?.end();
  await server?.stop();
  await dir?.remove();
});

async function freshDb(name: string): Promise<string> {
  const path = join(dir.path, `${name}.duckdb`);
  const up = await runCli(['up', '--db', path]);
  expect(up.code).toBe(0);
  return path;
}

/**
 * Imports a metrics source into a fresh database in batches of two rows through the library, expects the import
 * to fail with `failure`, then runs `check` on the database and the still-open source.
 */
async function importFailing(
  name: string,
  options: Pick<PostgresSourceOptions, 'url' | 'table' | 'query'>,
  failure: RegExp,
  check: (db: Database, source: PostgresSource) => Promise<void>,
): Promise<void> {
  const path = await freshDb(name);
  const source = await PostgresSource.open({ ...options, preset: 'metrics', batchRows: 2 });
  try {
    await withDb(path, async (db) => {
      await expect(runImport(db, source, { verify: false })).rejects.toThrow(failure);
      await check(db, source);
    });
  } finally {
    await source.close();
  }
}

const importMetrics = (db: string, extra: string[] = []) => [
  'import',
  'timescale',
  '--url',
  readerUrl,
  '--table',
  'metrics',
  '--preset',
  'metrics',
  '--db',
  db,
  '--json',
  ...extra,
];

describe('import from PostgreSQL', () => {
  it('imports ~1M metric rows with a read-only role and verifies per-day counts and sums', {
    timeout: 180_000,
  }, async () => {
    const db = await freshDb('metrics');
    const result = await runCli(importMetrics(db));
    expect(result.stderr).toContain('import trading_metrics 10%');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: true, rows: METRIC_ROWS, totalRows: METRIC_ROWS, skipped: false });
    expect(report.verification).toMatchObject({
      ok: true,
      sumColumn: 'value',
      sourceRows: METRIC_ROWS,
      targetRows: METRIC_ROWS,
    });
    expect(report.verification.days).toHaveLength(DAYS);

    const source = await client.query(
      `SELECT count(*)::int AS n, sum(value) AS s, count(DISTINCT labels)::int AS labelsets,
         (SELECT labels::text FROM metrics ORDER BY time LIMIT 1) AS first_labels FROM metrics`,
    );
    await withDb(db, async (d) => {
      const [target] = await rows<{ n: bigint; s: number; labelsets: bigint }>(
        d,
        `SELECT count(*) AS n, sum(value) AS s, count(DISTINCT attributes) AS labelsets FROM trading_metrics`,
      );
      expect(Number(target?.n)).toBe(source.rows[0].n);
      expect(target?.s).toBeCloseTo(source.rows[0].s, 3);
      expect(Number(target?.labelsets)).toBe(source.rows[0].labelsets);
      const [first] = await rows(d, `SELECT * FROM trading_metrics ORDER BY ts, name LIMIT 1`);
      expect(first).toMatchObject({
        name: 'order_latency_ms',
        symbol: null,
        kind: 1,
        temporality: 0,
        value: 0,
        unit: '',
        scope: '{}',
        attributes: '{"depth":0,"ratio":0.5,"venue":"kraken","region":"eu"}',
      });
      expect(first?.time_unix_nano).toBe(1_704_067_200_000_000_000n);
      expect(JSON.parse(String(first?.resource)).attributes['duckside.import.source']).toMatch(
        /^postgres:\/\/127\.0\.0\.1:\d+\/postgres\?table=metrics$/,
      );
      expect(String(source.rows[0].first_labels).replace(/ /g, '')).toBe(first?.attributes);
      const [nulls] = await rows<{ n: bigint }>(
        d,
        `SELECT count(*) AS n FROM trading_metrics WHERE symbol IS NULL`,
      );
      expect(Number(nulls?.n)).toBe(METRIC_ROWS / 50);
    });

    const again = await runCli(importMetrics(db));
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      rows: 0,
      totalRows: METRIC_ROWS,
      verification: { ok: true },
    });
    await withDb(db, async (d) => {
      const [n] = await rows<{ n: bigint }>(d, `SELECT count(*) AS n FROM trading_metrics`);
      expect(Number(n?.n)).toBe(METRIC_ROWS);
    });
  });

  it('resumes after the CLI is killed with SIGKILL mid-import, with no gap and no duplicate', {
    timeout: 180_000,
  }, async () => {
    const db = await freshDb('killed');
    const first = startCli(importMetrics(db, ['--batch-rows', '50000']));
    await first.waitForStderr('import trading_metrics 30%');
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');

    const resumed = await runCli(importMetrics(db, ['--batch-rows', '50000']));
    expect(resumed.code).toBe(0);
    const report = JSON.parse(resumed.stdout);
    expect(report.rows).toBeGreaterThan(0);
    expect(report.rows).toBeLessThan(METRIC_ROWS);
    expect(report).toMatchObject({
      totalRows: METRIC_ROWS,
      verification: { ok: true, targetRows: METRIC_ROWS },
    });
    await withDb(db, async (d) => {
      const [n] = await rows<{ n: bigint; distinct_points: bigint }>(
        d,
        `SELECT count(*) AS n, count(DISTINCT (time_unix_nano, name, coalesce(symbol, ''), attributes)) AS distinct_points
         FROM trading_metrics`,
      );
      expect(Number(n?.n)).toBe(METRIC_ROWS);
      expect(Number(n?.distinct_points)).toBe(METRIC_ROWS);
    });
  });

  it('imports trades and candles with mappings, constants and a timestamp (no time zone) column', {
    timeout: 120_000,
  }, async () => {
    const db = await freshDb('trading');
    const trades = await runCli([
      'import',
      'postgres',
      '--url',
      readerUrl,
      '--table',
      'public.trades',
      '--preset',
      'trades',
      '--db',
      db,
      '--json',
      '--quiet',
    ]);
    expect(trades.code).toBe(0);
    expect(JSON.parse(trades.stdout)).toMatchObject({
      rows: 50_000,
      verification: { ok: true, sumColumn: 'quantity' },
    });
    const candles = await runCli([
      'import',
      'postgres',
      '--url',
      readerUrl,
      '--query',
      'SELECT * FROM candles WHERE volume >= 1000',
      '--preset',
      'candles',
      '--time-column',
      'bucket',
      '--set',
      'interval=5m',
      '--set',
      'venue=coinbase',
      '--db',
      db,
      '--json',
      '--quiet',
    ]);
    expect(candles.code).toBe(0);
    expect(JSON.parse(candles.stdout)).toMatchObject({
      rows: 2880,
      verification: { ok: true, sumColumn: 'volume' },
    });
    await withDb(db, async (d) => {
      const [t] = await rows(d, `SELECT * FROM trading_trades ORDER BY ts LIMIT 1`);
      expect(t).toMatchObject({
        symbol: 'BTC/USD',
        venue: 'kraken',
        side: 'sell',
        quantity: 1,
        price: 30000,
        fee: 0,
        order_id: 'o-0',
        trade_id: 't-0',
        strategy: 'mm',
      });
      const [c] = await rows(d, `SELECT * FROM trading_candles ORDER BY ts DESC LIMIT 1`);
      expect(c).toMatchObject({
        symbol: 'BTC/USD',
        venue: 'coinbase',
        interval: '5m',
        open: 100 + (2879 % 7),
        volume: 1000 + 2879,
      });
      expect((c?.ts as Date | undefined)?.toISOString()).toBe('2024-01-10T23:55:00.000Z');
    });
  });

  it('stores rows whose series fields differ only in NULL versus empty as one series, and stops at a row without a name', async () => {
    await client.query(`CREATE TABLE metrics_edge (time timestamptz NOT NULL, name text, value float8 NOT NULL,
      unit text, labels jsonb, symbol text)`);
    await client.query(`INSERT INTO metrics_edge VALUES
      ('2024-03-01 00:00:00+00', 'fill', 1, NULL, NULL, 'BTC/USD'),
      ('2024-03-01 00:00:01+00', 'fill', 2, '', '{}', 'BTC/USD'),
      ('2024-03-01 00:00:02+00', 'fill', 3, 'ms', '[1, 2]', NULL),
      ('2024-03-01 00:00:03+00', 'fill', 4, 'ms', '[1, 2]', NULL),
      ('2024-03-01 00:00:04+00', 'fill', 5, NULL, '{"a": 1}', 'ETH/USD'),
      ('2024-03-01 00:00:05+00', NULL, 6, NULL, NULL, NULL)`);
    // Batches of two rows: the first two batches are committed before the row without a name.
    await importFailing(
      'edge',
      { url: server.url, table: 'metrics_edge' },
      /row at 2024-03-01T00:00:05.000000Z has no value for required field name/,
      async (db) => {
        const points = await rows(
          db,
          `SELECT value, unit, attributes, symbol FROM trading_metrics ORDER BY ts`,
        );
        expect(points).toEqual([
          { value: 1, unit: '', attributes: '{}', symbol: 'BTC/USD' },
          { value: 2, unit: '', attributes: '{}', symbol: 'BTC/USD' },
          { value: 3, unit: 'ms', attributes: '{"labels":[1,2]}', symbol: null },
          { value: 4, unit: 'ms', attributes: '{"labels":[1,2]}', symbol: null },
        ]);
        const [series] = await rows<{ n: bigint }>(
          db,
          `SELECT count(*) AS n FROM metric_series WHERE name = 'fill'`,
        );
        expect(series?.n).toBe(2n);
      },
    );
  });

  it('keeps the whole batches PostgreSQL sent before failing mid-copy, and the connection usable after', async () => {
    await client.query(`CREATE TABLE metrics_err (time timestamptz NOT NULL, name text NOT NULL, value float8 NOT NULL);
      INSERT INTO metrics_err SELECT timestamptz '2024-04-01 00:00:00+00' + i * interval '1 second', 'depth', i
        FROM generate_series(0, 9) i;
      CREATE ROLE streamer LOGIN; GRANT SELECT ON metrics_err TO streamer; ALTER ROLE streamer SET enable_sort = off;
      CREATE INDEX ON metrics_err (time)`);
    // enable_sort = off: rows stream in index order, so the division by zero at value 7 comes after rows 0-6.
    // It is in the name, which the per-day totals do not read.
    const query = `SELECT time, CASE WHEN value < 7 THEN name ELSE name || (1 / (7 - value::int))::text END AS name,
      value FROM metrics_err`;
    const url = server.url.replace('postgres@', 'streamer@');
    await importFailing(
      'mid-copy-error',
      { url, query },
      /reading from PostgreSQL failed: division by zero/,
      async (db, source) => {
        const points = await rows<{ value: number }>(db, 'SELECT value FROM trading_metrics ORDER BY ts');
        expect(points.map((p) => p.value)).toEqual([0, 1, 2, 3, 4, 5]);
        // The socket went back to pg in a sane state: the same connection answers the next query.
        expect(await source.dailyTotals()).toEqual([{ day: '2024-04-01', count: 10, sum: 45 }]);
      },
    );
  });

  it('leaves the bytes of the next query on the client to pg when a copy fails mid-stream', async () => {
    const reader = new pg.Client({ connectionString: server.url });
    await reader.connect();
    try {
      // The first copy fails after 15k rows; a second one waits behind it on the same client.
      const failing = reader.query(
        copyOutStream(`COPY (SELECT i, repeat('x', 50), CASE WHEN i < 15000 THEN 1 ELSE i / 0 END
          FROM generate_series(1, 20000) i) TO STDOUT`),
      );
      const next = reader.query(copyOutStream('COPY (SELECT i FROM generate_series(1, 5) i) TO STDOUT'));
      let firstRows = 0;
      const firstError = (async () => {
        // A slow reader: the stream asks for more after the error has handed the socket back.
        for await (const chunk of failing) {
          firstRows += String(chunk).split('\n').length - 1;
          await sleep(10);
        }
      })().then(
        () => 'no error',
        (error: Error) => error.message,
      );
      expect(await firstError).toBe('division by zero');
      expect(firstRows).toBe(14_999);
      let second = '';
      for await (const chunk of next) second += String(chunk);
      expect(second).toBe('1\n2\n3\n4\n5\n');
    } finally {
      await reader.end();
    }
  });

  it('fails with exit code 2 and a clear message when a required field has no source column', async () => {
    const db = await freshDb('bad-mapping');
    const result = await runCli([
      'import',
      'postgres',
      '--url',
      readerUrl,
      '--table',
      'candles',
      '--preset',
      'candles',
      '--db',
      db,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no source column for required field interval');
  });
});
