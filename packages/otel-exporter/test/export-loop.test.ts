import { setTimeout as sleep } from 'node:timers/promises';
import { compiled, Database } from '@duckside/core';
import { ValueType } from '@opentelemetry/api';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBMetricExporter } from '../src/index.ts';
import { RecordingExporter, tempFolder, trackProcessErrors } from './support/harness.ts';

const folder = tempFolder();
afterEach(() => folder.cleanup());

describe('a 10 Hz export loop', () => {
  it('stores every point of every export exactly once, for delta and cumulative readers', async () => {
    const tracked = trackProcessErrors();
    const paths = { delta: folder.path('delta.duckdb'), cumulative: folder.path('cumulative.duckdb') };
    const recorders = {
      delta: new RecordingExporter(
        new DuckDBMetricExporter({ path: paths.delta, temporalityPreference: 'delta' }),
      ),
      cumulative: new RecordingExporter(new DuckDBMetricExporter({ path: paths.cumulative })),
    };
    const provider = new MeterProvider({
      readers: Object.values(recorders).map(
        (exporter) => new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 100 }),
      ),
    });
    const meter = provider.getMeter('loop');
    const orders = meter.createCounter('orders_total', { valueType: ValueType.INT });
    const latency = meter.createHistogram('latency_ms');
    const symbols = ['BTC/USD', 'ETH/USD', 'SOL/USD'];
    let adds = 0;
    const recorder = setInterval(() => {
      for (const symbol of symbols) {
        orders.add(2, { symbol });
        latency.record(adds % 50, { symbol });
      }
      adds++;
    }, 5);
    await sleep(3_000);
    clearInterval(recorder);
    await provider.shutdown();
    tracked.stop();

    const delta = await Database.open({ path: paths.delta });
    const cumulative = await Database.open({ path: paths.cumulative });
    try {
      for (const r of Object.values(recorders)) {
        // 3 s at 10 Hz plus the final export; timers may slip on a loaded machine but not by half.
        expect(r.calls).toBeGreaterThanOrEqual(20);
        expect(r.results.length).toBe(r.calls);
        expect(r.doubleCallbacks).toBe(0);
        expect(r.results.filter((x) => x.code !== 0)).toEqual([]);
      }
      const stored = async (db: Database, sql: string) =>
        (await db.all(compiled<Record<string, number>>(sql, [])))[0] as Record<string, number>;
      const points = async (db: Database) =>
        (
          await stored(
            db,
            'SELECT (SELECT count(*) FROM trading_metrics) + (SELECT count(*) FROM otel_histograms) AS n',
          )
        ).n;
      // Every exported point is stored once: no loss, no duplicate.
      expect(Number(await points(delta))).toBe(recorders.delta.points.reduce((a, b) => a + b, 0));
      expect(Number(await points(cumulative))).toBe(recorders.cumulative.points.reduce((a, b) => a + b, 0));

      // Delta points add up to exactly what was recorded.
      const deltaSums = await stored(
        delta,
        `SELECT (SELECT sum(value_int)::BIGINT FROM trading_metrics WHERE name = 'orders_total') AS orders,
                (SELECT sum(count)::BIGINT FROM otel_histograms WHERE name = 'latency_ms') AS records`,
      );
      expect(Number(deltaSums.orders)).toBe(adds * symbols.length * 2);
      expect(Number(deltaSums.records)).toBe(adds * symbols.length);

      // The last cumulative point of each series holds the total; cumulative values never go down.
      const last = await cumulative.all(
        compiled<{ symbol: string; value: number; count: number; decreases: number }>(
          `SELECT m.symbol, arg_max(m.value, m.time_unix_nano) AS value,
                  (SELECT arg_max(h.count, h.time_unix_nano) FROM otel_histograms h WHERE h.symbol = m.symbol) AS count,
                  count(*) FILTER (WHERE m.value < m.prev) AS decreases
             FROM (SELECT *, lag(value) OVER (PARTITION BY symbol ORDER BY time_unix_nano) AS prev
                     FROM trading_metrics WHERE name = 'orders_total') m
            GROUP BY m.symbol ORDER BY m.symbol`,
          [],
        ),
      );
      expect(last).toEqual(
        symbols.toSorted().map((symbol) => ({ symbol, value: adds * 2, count: adds, decreases: 0 })),
      );
      expect(tracked.errors).toEqual([]);
    } finally {
      await delta.close();
      await cumulative.close();
    }
  });
});
