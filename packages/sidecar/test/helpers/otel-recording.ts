import { type Attributes, ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** What a metric exporter calls back with. */
export type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];
/** `ExportResultCode.SUCCESS` of @opentelemetry/core. */
export const SUCCESS = 0;

/** Passes exports through to a real OTLP exporter, keeping what was sent and what came back. */
export class RecordingExporter implements PushMetricExporter {
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

/** The two temporalities an exporter can ask for. */
export const temporalities = {
  delta: AggregationTemporality.DELTA,
  cumulative: AggregationTemporality.CUMULATIVE,
};

/** Records every instrument kind with typed attributes, over two collection cycles. */
export async function recordEverything(provider: MeterProvider, flush: () => Promise<void>): Promise<void> {
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

/**
 * A MeterProvider over `exporter` (manual flushes only) with the resource and views {@link recordEverything}
 * expects; records everything, flushes twice and shuts down.
 * @example await exportEverything(new RecordingExporter(new ProtoExporter({ url })));
 */
export async function exportEverything(exporter: PushMetricExporter): Promise<void> {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': 'oms',
      'service.instance.id': 'oms-1',
      'host.cores': 2,
    }),
    readers: [reader],
    views: [{ instrumentName: 'fill_latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  await recordEverything(provider, () => reader.forceFlush());
  await provider.shutdown();
}
