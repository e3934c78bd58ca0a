import { describe, expect, it } from 'vitest';
import { encodeAttributes, joinNanos, MetricBatch, MetricKind, Temporality } from '../src/entries/ingest.ts';
import {
  DATA_TABLES,
  Database,
  decodeAttributes,
  MetricRecord,
  nanosToIso,
  parseTimestamp,
  SystemEvent,
  selectMetrics,
} from '../src/index.ts';
import { readTable } from './support/read-table.ts';
import { tempDirectory } from './support/temp-directory.ts';

const dir = tempDirectory();

/** Every row of every data table in a stable order, as the driver returns it. */
async function dump(db: Database): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of DATA_TABLES) out[table] = await readTable(db, `SELECT * FROM ${table} ORDER BY ALL`);
  return out;
}

describe('a file database', () => {
  it('reads back after close and reopen exactly what was written', async () => {
    const path = dir.path('round-trip.duckdb');
    const db = await Database.open(path);
    const times = [
      '2024-01-02T03:04:05.123456789Z',
      '2255-06-05T23:47:34.740991999Z',
      '1970-01-01T00:00:00.000000001Z',
    ];
    await db.insertMetrics(
      times.map((t, i) =>
        new MetricRecord('nanos', i + 0.5, t).withSymbol('BTC/USD').addLabel('i', i).addLabel('s', `v${i}`),
      ),
    );
    const batch = new MetricBatch();
    const series = { name: 'otlp', description: 'd', unit: '1', service: 'svc', resource: '{}', scope: '{}' };
    const base = {
      timeMicros: 1_704_164_645_123_456,
      timeNanos: 789,
      startMicros: 1_704_164_000_000_000,
      startNanos: 1,
      attributes: encodeAttributes({ n: 1n, d: 1.5, b: new Uint8Array([1, 2]) }),
      symbol: null,
      exemplars: null,
      flags: 1,
    };
    batch.pushScalar(series, {
      ...base,
      kind: MetricKind.Sum,
      temporality: Temporality.Cumulative,
      isMonotonic: true,
      value: 3,
      valueInt: 3n,
    });
    const distribution = { ...base, temporality: Temporality.Delta, count: 3, sum: 6, min: 1, max: 3 };
    batch.pushHistogram(series, {
      ...distribution,
      bucketCounts: [1, 2],
      explicitBounds: [2],
    });
    batch.pushExpHistogram(series, {
      ...distribution,
      scale: 3,
      zeroCount: 0,
      zeroThreshold: 0,
      positiveOffset: 1,
      positiveBucketCounts: [3],
      negativeOffset: 0,
      negativeBucketCounts: [],
    });
    batch.pushSummary(series, { ...base, count: 3, sum: 6, quantiles: [0.5], quantileValues: [2] });
    await db.writeMetricBatch(batch);
    await db.insertTrades([
      { timestamp: times[0] as string, symbol: 'BTC/USD', venue: 'v', side: 'buy', quantity: 1, price: 2 },
    ]);
    await db.insertCandles([
      {
        symbol: 'BTC/USD',
        venue: 'v',
        interval: '1m',
        timestamp: 0,
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        volume: 0,
      },
    ]);
    await db.insertEvents([
      new SystemEvent({ severity: 'error', source: 's', message: 'm', timestamp: times[0] }),
    ]);
    const before = await dump(db);
    await db.close();

    const reopened = await Database.open(path);
    try {
      expect(await dump(reopened)).toEqual(before);
      const { rows } = await reopened.execute(selectMetrics().name('nanos').order('asc'));
      expect(rows.map((r) => nanosToIso(r.time_unix_nano))).toEqual([times[2], times[0], times[1]]);
      expect(rows.map((r) => r.time_unix_nano)).toEqual(
        [times[2], times[0], times[1]].map((t) => parseTimestamp(t as string)),
      );
      expect(rows.map((r) => decodeAttributes(r.attributes))).toEqual([
        { i: 2n, s: 'v2' },
        { i: 0n, s: 'v0' },
        { i: 1n, s: 'v1' },
      ]);
      const [otlp] = await readTable(
        reopened,
        "SELECT time_unix_nano, start_time_unix_nano, attributes FROM trading_metrics WHERE name = 'otlp'",
      );
      expect(otlp?.time_unix_nano).toBe(joinNanos(base.timeMicros, base.timeNanos));
      expect(otlp?.start_time_unix_nano).toBe(joinNanos(base.startMicros, base.startNanos));
      expect(decodeAttributes(otlp?.attributes as string)).toEqual({
        n: 1n,
        d: 1.5,
        b: new Uint8Array([1, 2]),
      });
    } finally {
      await reopened.close();
    }
  });
});
