import {
  compiled,
  Database,
  distributionStats,
  expHistogramQuantiles,
  type HistogramQuantileRow,
} from '@duckside/core';
import { AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBMetricExporter } from '../src/index.ts';
import { temporalitySelector } from '../src/temporality-preference.ts';
import { exportOnce, ManualReader, tempFolder } from './support/harness.ts';

const QS = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];
const SYMBOLS = ['BTC/USD', 'ETH/USD'];
const DAY_MS = 86_400_000;

let folder: ReturnType<typeof tempFolder>;
let db: Database;
beforeEach(async () => {
  folder = tempFolder();
  db = await Database.open({ path: folder.path('exp.duckdb') });
});
afterEach(async () => {
  await db.close();
  folder.cleanup();
});

/** The observation holding rank q * n: the ceil(q * n)-th smallest (the first for q = 0). */
function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] as number;
}

/** One stored point per symbol and export cycle: its day bucket and scale. */
async function storedPoints(): Promise<{ symbol: string; day: number; scale: number; cycle: number }[]> {
  const rows = await db.all(
    compiled<{ symbol: string; ts: Date; scale: number; cycle: number }>(
      `SELECT symbol, ts, scale, row_number() OVER (PARTITION BY symbol ORDER BY time_unix_nano)::INTEGER - 1 AS cycle
       FROM otel_exp_histograms ORDER BY symbol, time_unix_nano`,
      [],
    ),
  );
  return rows.map((r) => ({ ...r, day: Math.floor(r.ts.getTime() / DAY_MS) * DAY_MS }));
}

describe.each(['delta', 'cumulative'] as const)('exponential histograms from the SDK, %s', (temporality) => {
  it('read back quantiles within the bucket error of the recorded values, and exact counts', async () => {
    const exporter = new DuckDBMetricExporter({ database: db });
    const reader = new ManualReader({ temporality: temporalitySelector(temporality) });
    const provider = new MeterProvider({
      readers: [reader],
      views: [
        {
          instrumentName: 'order_latency_ms',
          aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 160 } },
        },
      ],
    });
    const latency = provider.getMeter('oms').createHistogram('order_latency_ms', { unit: 'ms' });
    // The second cycle spans a wider range, so that the SDK downscales a cumulative histogram between exports.
    const recorded: Record<string, number[][]> = Object.fromEntries(SYMBOLS.map((s) => [s, [[], []]]));
    for (const [cycle, spread] of [4, 14].entries()) {
      for (let i = 0; i < 3000; i++) {
        const symbol = SYMBOLS[i % 2] as string;
        // A low-discrepancy sequence (golden ratio steps) spread log-uniformly over the cycle's range.
        const value = Math.exp(((i * 0.6180339887498949) % 1) * spread - 1);
        recorded[symbol]?.[cycle]?.push(value);
        latency.record(value, { symbol });
      }
      expect(await exportOnce(exporter, await reader.collectMetrics())).toEqual({ code: 0 });
    }
    await provider.shutdown();

    // Expected per day bucket (both exports almost always share one) and symbol: the cycles stored in it.
    const points = await storedPoints();
    const expected = new Map<string, { values: number[]; scale: number }>();
    for (const p of points) {
      const key = `${p.day}|${p.symbol}`;
      const entry = expected.get(key) ?? { values: [], scale: Number.POSITIVE_INFINITY };
      entry.values.push(...(recorded[p.symbol]?.[p.cycle] ?? []));
      entry.scale = Math.min(entry.scale, p.scale);
      expected.set(key, entry);
    }
    expect(points.length).toBe(4);
    if (temporality === 'cumulative') expect(points[1]?.scale).toBeLessThan(points[0]?.scale as number);

    const { rows } = await db.execute(
      expHistogramQuantiles('order_latency_ms').quantiles(QS).interval('1d').groupBy({ by: 'symbol' }),
    );
    expect(rows.length).toBe(expected.size * QS.length);
    const check = (row: HistogramQuantileRow) => {
      const entry = expected.get(`${row.bucket.getTime()}|${row.group}`);
      expect(row.count).toBe(entry?.values.length);
      const truth = nearestRank(entry?.values ?? [], row.quantile);
      const ratio = (row.value as number) / truth;
      expect(Math.max(ratio, 1 / ratio)).toBeLessThanOrEqual(2 ** (2 ** -(entry?.scale ?? 0)) * (1 + 1e-12));
    };
    rows.forEach(check);

    const stats = await db.execute(
      distributionStats('otel_exp_histograms', 'order_latency_ms').interval('1d').groupBy({ by: 'symbol' }),
    );
    expect(stats.rows.length).toBe(expected.size);
    for (const row of stats.rows) {
      const values = expected.get(`${row.bucket.getTime()}|${row.group}`)?.values ?? [];
      expect(row.count).toBe(values.length);
      expect(row.sum).toBeCloseTo(
        values.reduce((a, b) => a + b, 0),
        6,
      );
      if (temporality === 'delta' || expected.size === SYMBOLS.length) {
        expect([row.min, row.max]).toEqual([Math.min(...values), Math.max(...values)]);
      }
    }
  });
});
