import { decodeExemplars, decodeResource, decodeScope } from '@duckside/core';
import { batchRows, encodeAttributes, MetricKind, Temporality } from '@duckside/core/ingest';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationType, MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';

import { handMadeMetrics, scalarMetric } from '../test/support/hand-made-metrics.ts';
import { ManualReader } from '../test/support/harness.ts';
import { MappingError } from './errors.ts';
import { toMetricBatch } from './metric-batch-mapper.ts';
import { temporalitySelector } from './temporality-preference.ts';

const resource = resourceFromAttributes({
  'service.name': 'oms',
  'deployment.environment': 'prod',
  'host.cpus': 8,
});

async function collect(
  record: (provider: MeterProvider) => void | Promise<void>,
  preference: 'cumulative' | 'delta' = 'cumulative',
): Promise<ResourceMetrics> {
  const reader = new ManualReader({ temporality: temporalitySelector(preference) });
  const provider = new MeterProvider({ resource, readers: [reader] });
  await record(provider);
  const metrics = await reader.collectMetrics();
  await provider.shutdown();
  return metrics;
}

function hrToSplit(t: readonly [number, number]): [number, number] {
  return [t[0] * 1_000_000 + Math.floor(t[1] / 1000), t[1] % 1000];
}

describe('toMetricBatch', () => {
  it('maps an int counter with resource, scope, typed attributes and the promoted symbol', async () => {
    const metrics = await collect((p) => {
      const meter = p.getMeter('orders', '1.2.0', { schemaUrl: 'https://opentelemetry.io/schemas/1.30.0' });
      const counter = meter.createCounter('orders_total', {
        description: 'orders sent',
        unit: '{order}',
        valueType: ValueType.INT,
      });
      const attributes = { symbol: 'BTC/USD', venue: 'alpaca', depth: 3, ratio: 0.5, tags: ['a', 'b'] };
      counter.add(2, attributes);
      counter.add(3, attributes);
    });
    const rows = batchRows(toMetricBatch(metrics)).trading_metrics!;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    const dp = metrics.scopeMetrics[0]!.metrics[0]!.dataPoints[0]!;
    expect(row).toMatchObject({
      name: 'orders_total',
      description: 'orders sent',
      unit: '{order}',
      symbol: 'BTC/USD',
      service: 'oms',
      kind: MetricKind.Sum,
      temporality: Temporality.Cumulative,
      is_monotonic: true,
      value: 5,
      value_int: 5n,
      exemplars: null,
      flags: 0,
      time_unix_nano: hrToSplit(dp.endTime),
      start_time_unix_nano: hrToSplit(dp.startTime),
      ts: hrToSplit(dp.endTime)[0],
    });
    expect(row.attributes).toBe(
      encodeAttributes({ symbol: 'BTC/USD', venue: 'alpaca', depth: 3n, ratio: 0.5, tags: ['a', 'b'] }),
    );
    const storedResource = decodeResource(row.resource as string);
    expect(storedResource.attributes).toMatchObject({
      'service.name': 'oms',
      'deployment.environment': 'prod',
      'host.cpus': 8n,
    });
    expect(storedResource.droppedAttributesCount).toBe(0);
    expect(decodeScope(row.scope as string)).toEqual({
      name: 'orders',
      version: '1.2.0',
      attributes: {},
      droppedAttributesCount: 0,
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
    });
  });

  it('maps gauges without temporality, up-down counters as non-monotonic sums, doubles without value_int', async () => {
    const metrics = await collect((p) => {
      const meter = p.getMeter('book');
      meter.createGauge('spread_bps').record(1.25, { symbol: 'ETH/USD' });
      meter.createUpDownCounter('open_orders', { valueType: ValueType.INT }).add(-4);
      meter.createObservableGauge('queue_depth').addCallback((r) => r.observe(7.5, { symbol: 42 }));
    });
    const rows = batchRows(toMetricBatch(metrics)).trading_metrics!;
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(byName.spread_bps).toMatchObject({
      kind: MetricKind.Gauge,
      temporality: Temporality.Unspecified,
      is_monotonic: null,
      value: 1.25,
      value_int: null,
      symbol: 'ETH/USD',
    });
    expect(byName.open_orders).toMatchObject({
      kind: MetricKind.Sum,
      temporality: Temporality.Cumulative,
      is_monotonic: false,
      value: -4,
      value_int: -4n,
      symbol: null,
      attributes: '{}',
    });
    // A non-string `symbol` is not promoted but kept as a typed attribute.
    expect(byName.queue_depth).toMatchObject({ symbol: null, attributes: '{"symbol":42}', value: 7.5 });
  });

  it('maps histograms and exponential histograms with their temporality', async () => {
    const reader = new ManualReader({
      temporality: temporalitySelector('delta'),
      aggregation: (type) =>
        type === 'HISTOGRAM'
          ? { type: AggregationType.EXPONENTIAL_HISTOGRAM }
          : { type: AggregationType.DEFAULT },
    });
    const provider = new MeterProvider({
      resource,
      readers: [reader],
      views: [
        {
          instrumentName: 'fill_ms',
          aggregation: {
            type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
            options: { boundaries: [1, 10, 100] },
          },
        },
      ],
    });
    const meter = provider.getMeter('exec');
    const fill = meter.createHistogram('fill_ms', { unit: 'ms' });
    for (const v of [0.5, 5, 50, 500, 7]) fill.record(v, { venue: 'alpaca' });
    const latency = meter.createHistogram('latency_ms', { unit: 'ms' });
    for (const v of [0, 1, 2, 4, 8]) latency.record(v);
    const metrics = await reader.collectMetrics();
    await provider.shutdown();
    const tables = batchRows(toMetricBatch(metrics));
    expect(tables.trading_metrics).toBeUndefined();
    expect(tables.otel_histograms).toEqual([
      expect.objectContaining({
        name: 'fill_ms',
        unit: 'ms',
        temporality: Temporality.Delta,
        count: 5,
        sum: 562.5,
        min: 0.5,
        max: 500,
        bucket_counts: [1, 2, 1, 1],
        explicit_bounds: [1, 10, 100],
        attributes: '{"venue":"alpaca"}',
        service: 'oms',
      }),
    ]);
    const exp = tables.otel_exp_histograms![0]!;
    const dp = metrics.scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'latency_ms')!
      .dataPoints[0]!;
    const value = dp.value as { scale: number; positive: { offset: number; bucketCounts: number[] } };
    expect(exp).toMatchObject({
      name: 'latency_ms',
      temporality: Temporality.Delta,
      count: 5,
      sum: 15,
      min: 0,
      max: 8,
      zero_count: 1,
      zero_threshold: 0,
      scale: value.scale,
      positive_offset: value.positive.offset,
      positive_bucket_counts: value.positive.bucketCounts,
      negative_bucket_counts: [],
    });
    expect((exp.positive_bucket_counts as number[]).reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('stores a zero start time as null and maps exemplars when a data point carries them', () => {
    const metrics = handMadeMetrics(resource, { name: 's' }, [
      scalarMetric({
        name: 'fills',
        kind: 'sum',
        int: true,
        delta: true,
        monotonic: true,
        points: [
          {
            startTime: [0, 0],
            endTime: [1_700_000_000, 123_456_789],
            attributes: { symbol: 'SOL/USD' },
            value: 2 ** 64,
            exemplars: [
              {
                filteredAttributes: { order_id: 'o-1', qty: 2 },
                value: 9,
                timestamp: [1_700_000_000, 5],
                traceId: '0AF7651916CD43DD8448EB211C80319C',
                spanId: 'b7ad6b7169203331',
              },
            ],
          },
        ],
      }),
    ]);
    const row = batchRows(toMetricBatch(metrics)).trading_metrics![0]!;
    expect(row.start_time_unix_nano).toBeNull();
    expect(row.time_unix_nano).toEqual([1_700_000_000_123_456, 789]);
    expect(row.temporality).toBe(Temporality.Delta);
    // Beyond int64 the value is clamped like protobuf's int64 writers do.
    expect(row.value_int).toBe(2n ** 63n - 1n);
    expect(decodeExemplars(row.exemplars as string)).toEqual([
      {
        timeUnixNano: 1_700_000_000_000_000_005n,
        value: 9n,
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        filteredAttributes: { order_id: 'o-1', qty: 2n },
      },
    ]);
  });

  it('rejects an unknown data point type', () => {
    const metrics = {
      resource,
      scopeMetrics: [
        {
          scope: { name: 's' },
          metrics: [
            {
              descriptor: { name: 'x', description: '', unit: '', valueType: 1 },
              dataPointType: 9,
              dataPoints: [],
            },
          ],
        },
      ],
    } as unknown as ResourceMetrics;
    expect(() => toMetricBatch(metrics)).toThrow(MappingError);
  });
});
