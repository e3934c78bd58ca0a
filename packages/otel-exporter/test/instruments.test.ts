import { Database, decodeResource } from '@duckside/core';
import { MetricKind, Temporality } from '@duckside/core/ingest';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationType,
  InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBMetricExporter, type DuckDBMetricExporterOptions } from '../src/index.ts';
import { tableRows, tempFolder } from './support/harness.ts';

let folder: ReturnType<typeof tempFolder>;
let db: Database;

beforeEach(async () => {
  folder = tempFolder();
  db = await Database.open({ path: folder.path('metrics.duckdb') });
});

afterEach(async () => {
  await db.close();
  folder.cleanup();
});

/** A provider exporting to `db` only when flushed by hand. */
function setup(options: Omit<DuckDBMetricExporterOptions, 'database' | 'path'>) {
  const exporter = new DuckDBMetricExporter({ database: db, ...options });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'oms', 'service.version': '2.1.0' }),
    readers: [reader],
  });
  return { exporter, provider, meter: provider.getMeter('trading', '0.3.0') };
}

const values = (rows: Record<string, unknown>[], name: string, column = 'value') =>
  rows.filter((r) => r.name === name).map((r) => r[column]);

describe.each([
  { preference: 'cumulative' as const, monotonic: Temporality.Cumulative },
  { preference: 'delta' as const, monotonic: Temporality.Delta },
])('every instrument kind, $preference temporality', ({ preference, monotonic }) => {
  it('stores two export cycles with the values and temporality the preference implies', async () => {
    const { provider, meter } = setup({ temporalityPreference: preference });
    const orders = meter.createCounter('orders_total', { valueType: ValueType.INT, unit: '{order}' });
    const open = meter.createUpDownCounter('open_orders', { valueType: ValueType.INT });
    const latency = meter.createHistogram('latency_ms', { unit: 'ms' });
    const spread = meter.createGauge('spread_bps');
    let fills = 100;
    let resting = 7;
    let mid = 42.5;
    meter
      .createObservableCounter('fills_total', { valueType: ValueType.INT })
      .addCallback((r) => r.observe(fills));
    meter.createObservableUpDownCounter('resting_orders').addCallback((r) => r.observe(resting));
    meter.createObservableGauge('mid_price').addCallback((r) => r.observe(mid, { symbol: 'BTC/USD' }));

    orders.add(5, { symbol: 'BTC/USD' });
    orders.add(2, { symbol: 'ETH/USD' });
    open.add(3);
    open.add(-1);
    latency.record(10);
    latency.record(20);
    spread.record(1.5, { symbol: 'BTC/USD' });
    await provider.forceFlush();

    orders.add(1, { symbol: 'BTC/USD' });
    open.add(-4);
    latency.record(30);
    spread.record(2.5, { symbol: 'BTC/USD' });
    fills = 150;
    resting = 4;
    mid = 43;
    // Shutting down collects and exports one last time: the second cycle.
    await provider.shutdown();

    const scalars = await tableRows(db, 'trading_metrics');
    const histograms = await tableRows(db, 'otel_histograms');
    const delta = preference === 'delta';

    const btc = scalars.filter((r) => r.name === 'orders_total' && r.symbol === 'BTC/USD');
    expect(btc.map((r) => r.value)).toEqual(delta ? [5, 1] : [5, 6]);
    expect(btc.map((r) => r.value_int)).toEqual(delta ? [5, 1] : [5, 6]);
    expect(
      btc.every((r) => r.kind === MetricKind.Sum && r.is_monotonic === true && r.temporality === monotonic),
    ).toBe(true);
    expect(btc[0]!.unit).toBe('{order}');
    // Cumulative points share their start; delta points start where the previous one ended.
    expect(btc[1]!.start_time_unix_nano).toBe(delta ? btc[0]!.time_unix_nano : btc[0]!.start_time_unix_nano);
    // ETH had no new measurement in the second cycle: delta omits it, cumulative repeats it.
    expect(values(scalars, 'orders_total').length).toBe(delta ? 3 : 4);

    expect(values(scalars, 'open_orders')).toEqual([2, -2]);
    expect(values(scalars, 'open_orders', 'is_monotonic')).toEqual([false, false]);
    expect(values(scalars, 'open_orders', 'temporality')).toEqual([
      Temporality.Cumulative,
      Temporality.Cumulative,
    ]);

    expect(values(histograms, 'latency_ms', 'count')).toEqual(delta ? [2, 1] : [2, 3]);
    expect(values(histograms, 'latency_ms', 'sum')).toEqual(delta ? [30, 30] : [30, 60]);
    expect(values(histograms, 'latency_ms', 'temporality')).toEqual([monotonic, monotonic]);
    expect(values(histograms, 'latency_ms', 'explicit_bounds')[0]).toEqual([
      0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
    ]);

    expect(values(scalars, 'spread_bps')).toEqual([1.5, 2.5]);
    expect(values(scalars, 'spread_bps', 'kind')).toEqual([MetricKind.Gauge, MetricKind.Gauge]);
    expect(values(scalars, 'spread_bps', 'temporality')).toEqual([
      Temporality.Unspecified,
      Temporality.Unspecified,
    ]);
    expect(values(scalars, 'spread_bps', 'is_monotonic')).toEqual([null, null]);

    expect(values(scalars, 'fills_total')).toEqual(delta ? [100, 50] : [100, 150]);
    expect(values(scalars, 'resting_orders')).toEqual([7, 4]);
    expect(values(scalars, 'resting_orders', 'value_int')).toEqual([null, null]);
    expect(values(scalars, 'mid_price')).toEqual([42.5, 43]);
    expect(values(scalars, 'mid_price', 'symbol')).toEqual(['BTC/USD', 'BTC/USD']);

    for (const row of [...scalars, ...histograms]) {
      expect(row.service).toBe('oms');
      expect(decodeResource(row.resource as string).attributes['service.version']).toBe('2.1.0');
    }
  });
});

describe('aggregation selector', () => {
  it('stores exponential histograms when the selector asks for them', async () => {
    const { provider, meter } = setup({
      aggregationSelector: (type) =>
        type === InstrumentType.HISTOGRAM
          ? { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 40 } }
          : { type: AggregationType.DEFAULT },
    });
    const latency = meter.createHistogram('latency_ms');
    for (const v of [0, 0, 1, 2, 3, 1000]) latency.record(v, { venue: 'alpaca' });
    await provider.shutdown();
    expect(await tableRows(db, 'otel_histograms')).toEqual([]);
    const [row] = await tableRows(db, 'otel_exp_histograms');
    expect(row).toMatchObject({ name: 'latency_ms', count: 6, sum: 1006, zero_count: 2, min: 0, max: 1000 });
    const positive = (row!.positive_bucket_counts as bigint[]).map(Number);
    expect(positive.reduce((a, b) => a + b, 0)).toBe(4);
    expect(positive.length).toBeLessThanOrEqual(40);
  });

  it('asks the SDK for the configured temporality through the reader', () => {
    const exporter = new DuckDBMetricExporter({ database: db, temporalityPreference: 'lowmemory' });
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    expect(reader.selectAggregationTemporality(InstrumentType.COUNTER)).toBe(0);
    expect(reader.selectAggregationTemporality(InstrumentType.OBSERVABLE_COUNTER)).toBe(1);
    const custom = new DuckDBMetricExporter({ database: db, temporalityPreference: () => 0 });
    expect(custom.selectAggregationTemporality(InstrumentType.UP_DOWN_COUNTER)).toBe(0);
  });
});
