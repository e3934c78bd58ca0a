import { afterEach, describe, expect, it } from 'vitest';
import { poll } from './helpers/poll.ts';
import { startTestServer, type TestServer } from './helpers/test-server.ts';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('--max-series-per-metric', () => {
  it('stores the points of new series past the limit in the overflow series and counts them in /metrics', async () => {
    t = await startTestServer({ ingest: { maxSeriesPerMetric: '2' } });
    const now = Date.now();
    const points = ['A', 'B', 'C', 'D', 'A'].map((symbol, i) => ({
      name: 'fill_ratio',
      value: i + 1,
      timestamp: now + i,
      symbol,
    }));
    expect((await t.post('/api/v1/metrics', points)).status).toBe(200);

    const stored = await t.get(`/api/v1/metrics?name=fill_ratio&from=${now - 1}&to=${now + 10}`);
    const bySeries = stored.body.data.map((p: { symbol: string | null; labels: unknown; value: number }) => [
      p.symbol,
      p.labels,
      p.value,
    ]);
    expect(bySeries.sort((a: number[], b: number[]) => (a[2] as number) - (b[2] as number))).toEqual([
      ['A', {}, 1],
      ['B', {}, 2],
      [null, { 'otel.metric.overflow': true }, 3],
      [null, { 'otel.metric.overflow': true }, 4],
      ['A', {}, 5],
    ]);
    const text = (await t.get('/metrics')).body as string;
    expect(text).toMatch(/^duckside_series_limit 2$/m);
    expect(text).toMatch(/^duckside_series_limited_metrics 1$/m);
    expect(text).toMatch(/^duckside_series_overflow_points_total\{metric="fill_ratio"\} 2$/m);
  });
});

describe('--max-db-size', () => {
  it('deletes the oldest rows once the database outgrows it, and says so in the log, an event and /metrics', async () => {
    t = await startTestServer({
      retention: { maxDbSize: '4MiB' },
      plugins: { retention: { sizeCheckIntervalMs: 100 } },
    });
    const { db } = t.server;
    // 2M points, one per millisecond from 2024-01-01: about 15 MB, so retention has to act.
    await db.insertMetrics([{ name: 'seed', value: 1, timestamp: Date.UTC(2024, 0, 1) }]);
    await db.withConnection((c) =>
      c.run(
        `INSERT INTO metric_points (series_id, ts, time_unix_nano, kind, value)
         SELECT (SELECT series_id FROM metric_series WHERE name = 'seed'), make_timestamp(($1 + i) * 1000),
           ($1 + i) * 1000000, 1, random() FROM range(2000000) r(i)`,
        [Date.UTC(2024, 0, 1)],
      ),
    );
    // A pass may have run before the insert committed: wait for one that brought the size down and said so.
    const deletedLine =
      /^duckside_retention_size_deleted_rows_total\{table="trading_metrics"\} [1-9]\d{5,}$/m;
    const trimmed = await poll(
      async () =>
        (await db.storageSize()).usedBytes <= 4 * 1024 * 1024 &&
        deletedLine.test((await t?.get('/metrics'))?.body as string),
      30_000,
    );
    expect(trimmed).toBe(true);
    const newest = await t.get(
      `/api/v1/metrics?name=seed&from=${Date.UTC(2024, 0, 1, 0, 33)}&limit=1&order=desc`,
    );
    expect(newest.body.data[0]?.timestamp).toBeDefined();
    const events = await t.get('/api/v1/events?source=duckside.retention');
    expect(events.body.data[0]).toMatchObject({
      severity: 'warning',
      source: 'duckside.retention',
      message: expect.stringContaining('--max-db-size'),
    });
    expect(t.logs.some((l) => l.level === 'warn' && String(l.msg ?? l.message).includes('max-db-size'))).toBe(
      true,
    );
    const text = (await t.get('/metrics')).body as string;
    expect(text).toMatch(/^duckside_db_max_size_bytes 4194304$/m);
    expect(text).toMatch(/^duckside_retention_size_passes_total\{outcome="target-reached"\} [1-9]\d*$/m);
  });
});
