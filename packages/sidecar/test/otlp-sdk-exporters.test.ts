import { type Attributes, ValueType } from '@opentelemetry/api';
import { OTLPMetricExporter as HttpJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectedFromSdk } from './helpers/otel-expected.ts';
import { readStoredPoints, sortPoints } from './helpers/otel-points.ts';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';

type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];
/** `ExportResultCode.SUCCESS` of @opentelemetry/core. */
const SUCCESS = 0;

/** Passes exports through to a real OTLP exporter, keeping what was sent and what came back. */
class RecordingExporter implements PushMetricExporter {
  readonly sent: ResourceMetrics[] = [];
  readonly results: ExportResult[] = [];
  constructor(private readonly inner: PushMetricExporter) {}
  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    this.sent.push(metrics);
    this.inner.export(metrics, (result) => {
      this.results.push(result);
      done(result);
    });
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  selectAggregationTemporality = (
    type: Parameters<NonNullable<PushMetricExporter['selectAggregationTemporality']>>[0],
  ) => this.inner.selectAggregationTemporality!(type);
}

const exporters = {
  'exporter-metrics-otlp-proto, gzip': [ProtoExporter, 'gzip'],
  'exporter-metrics-otlp-proto, uncompressed': [ProtoExporter, 'none'],
  'exporter-metrics-otlp-http (JSON), gzip': [HttpJsonExporter, 'gzip'],
} as const;
const temporalities = { delta: AggregationTemporality.DELTA, cumulative: AggregationTemporality.CUMULATIVE };

/** Records every instrument kind with typed attributes, over two collection cycles. */
async function recordEverything(provider: MeterProvider, flush: () => Promise<void>): Promise<void> {
  const meter = provider.getMeter('trading.oms', '2.1.0', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  });
  const btc: Attributes = {
    symbol: 'BTC/USD',
    venue: 'alpaca',
    depth: 3,
    spread: 0.25,
    live: true,
    tags: ['a', 'b'],
  };
  const eth: Attributes = { symbol: 'ETH/USD', venue: 'kraken', side: 'sell', levels: [1, 2, 3] };
  const orders = meter.createCounter('orders', {
    description: 'orders sent',
    unit: '{order}',
    valueType: ValueType.INT,
  });
  const notional = meter.createCounter('notional', { unit: 'USD' });
  const position = meter.createUpDownCounter('position', { valueType: ValueType.INT });
  const latency = meter.createHistogram('order_latency', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [1, 5, 10, 50] },
  });
  const fillLatency = meter.createHistogram('fill_latency', { unit: 'ms' });
  const mid = meter.createGauge('mid_price');
  let spread = 0.5;
  meter.createObservableGauge('spread', { unit: 'USD' }).addCallback((r) => {
    r.observe(spread, btc);
    r.observe(-spread * 2, eth);
  });
  orders.add(3, btc);
  orders.add(2, eth);
  notional.add(12_345.678, btc);
  position.add(-7, eth);
  position.add(4, btc);
  for (const v of [0.4, 3, 7.5, 12, 80]) latency.record(v, btc);
  latency.record(2.5, eth);
  for (const v of [-3, 0, 0.001, 250, 1e6]) fillLatency.record(v, btc);
  mid.record(64_000.5, btc);
  await flush();
  orders.add(1, btc);
  position.add(-1, btc);
  latency.record(9, btc);
  fillLatency.record(42, eth);
  spread = 0.75;
  await flush();
}

describe.each(Object.entries(exporters))('real %s', (_name, [Exporter, compression]) => {
  let server: OtlpTestServer;
  beforeEach(async () => {
    server = await startOtlpServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it.each(Object.entries(temporalities))(
    'stores every instrument kind (%s temporality) exactly as exported',
    async (_t, temporality) => {
      const exporter = new RecordingExporter(
        new Exporter({
          url: server.url,
          temporalityPreference: temporality,
          compression: compression as never,
        }),
      );
      const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
      const provider = new MeterProvider({
        resource: resourceFromAttributes({
          'service.name': 'oms',
          'service.instance.id': 'oms-1',
          'host.cores': 2,
        }),
        readers: [reader],
        views: [
          { instrumentName: 'fill_latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } },
        ],
      });
      await recordEverything(provider, () => reader.forceFlush());
      await provider.shutdown();

      expect(exporter.results.map((r) => r.code)).toEqual(exporter.sent.map(() => SUCCESS));
      expect(new Set(server.requests.map((r) => r.encoding ?? 'none'))).toEqual(new Set([compression]));
      expect(exporter.sent.length).toBeGreaterThanOrEqual(2);
      const expected = sortPoints(exporter.sent.flatMap(expectedFromSdk));
      const kinds = new Set(expected.map((p) => p.kind));
      expect([...kinds].sort()).toEqual(['exponentialHistogram', 'gauge', 'histogram', 'sum']);
      expect(new Set(expected.map((p) => p.data.temporality))).toContain(
        temporality === AggregationTemporality.DELTA ? 1 : 2,
      );
      const stored = await readStoredPoints(server.db);
      expect(stored).toEqual(expected);
      expect(stored.filter((p) => p.symbol === 'BTC/USD').length).toBeGreaterThan(0);
      expect(stored.every((p) => p.service === 'oms')).toBe(true);
    },
  );
});
