import { type HrTime, ValueType } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import {
  AggregationTemporality,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** Shape of a benchmark export. */
export interface WorkloadOptions {
  /** Metrics of each kind. */
  gauges: number;
  sums: number;
  histograms: number;
  /** Series (attribute sets) per metric: one point each, as an SDK export sends them. */
  seriesPerMetric: number;
  /** Explicit bucket bounds per histogram (bucket counts are one more). */
  bounds: number;
  /** When true every point gets an attribute set of its own (no repeats across metrics). */
  uniqueAttributes?: boolean;
}

/** The 1,000-point request: 8 gauges, 8 sums and 4 histograms of 50 series each. */
export const THOUSAND_POINTS: WorkloadOptions = {
  gauges: 8,
  sums: 8,
  histograms: 4,
  seriesPerMetric: 50,
  bounds: 10,
};

/** Eight crypto pairs, the symbols of the trading workloads (also the bench data's). */
export const TRADING_SYMBOLS: readonly string[] = [
  'BTC/USD',
  'ETH/USD',
  'SOL/USD',
  'XRP/USD',
  'ADA/USD',
  'DOGE/USD',
  'AVAX/USD',
  'LINK/USD',
  'DOT/USD',
];
const VENUES = ['alpaca', 'kraken', 'coinbase'];

/**
 * An SDK `ResourceMetrics` like a trading service exports: gauges (double), monotonic sums (int), histograms with
 * explicit buckets, each series labelled with symbol, venue, side and strategy.
 */
export function tradingExport(options: WorkloadOptions, seed = 1): ResourceMetrics {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const now = Date.now();
  const end: HrTime = [Math.floor(now / 1000), (now % 1000) * 1e6 + 123_457];
  const start: HrTime = [end[0] - 60, 17];
  let unique = 0;
  const series = (i: number) => ({
    symbol: TRADING_SYMBOLS[i % TRADING_SYMBOLS.length]!,
    venue: VENUES[Math.floor(i / TRADING_SYMBOLS.length) % VENUES.length]!,
    side: i % 2 === 0 ? 'buy' : 'sell',
    strategy: options.uniqueAttributes ? `s-${unique++}` : `mm-${i % 5}`,
  });
  const points = <T>(value: () => T) =>
    Array.from({ length: options.seriesPerMetric }, (_, i) => ({
      startTime: start,
      endTime: end,
      attributes: series(i),
      value: value(),
    }));
  const bounds = Array.from({ length: options.bounds }, (_, i) => 2 ** i);
  const metric = (name: string, description: string, unit: string, valueType: ValueType, data: object) =>
    ({ descriptor: { name, description, unit, valueType }, ...data }) as MetricData;
  const metrics: MetricData[] = [];
  for (let g = 0; g < options.gauges; g++) {
    metrics.push(
      metric(`trading.gauge_${g}`, 'a gauge', 'USD', ValueType.DOUBLE, {
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.GAUGE,
        dataPoints: points(() => 60_000 + random() * 1000),
      }),
    );
  }
  for (let s = 0; s < options.sums; s++) {
    metrics.push(
      metric(`trading.orders_${s}`, 'orders', '{order}', ValueType.INT, {
        aggregationTemporality: AggregationTemporality.CUMULATIVE,
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        dataPoints: points(() => Math.floor(random() * 1_000_000)),
      }),
    );
  }
  for (let h = 0; h < options.histograms; h++) {
    metrics.push(
      metric(`trading.latency_${h}`, 'latency', 'ms', ValueType.DOUBLE, {
        aggregationTemporality: AggregationTemporality.DELTA,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: points(() => {
          const counts = bounds.map(() => Math.floor(random() * 100)).concat([Math.floor(random() * 10)]);
          const count = counts.reduce((a, b) => a + b, 0);
          return { buckets: { boundaries: bounds, counts }, count, sum: count * 3.5, min: 0.1, max: 900 };
        }),
      }),
    );
  }
  return {
    resource: {
      attributes: {
        'service.name': 'oms',
        'service.instance.id': 'oms-1',
        'deployment.environment': 'prod',
        'host.name': 'trade-01',
        'telemetry.sdk.language': 'nodejs',
      },
    },
    scopeMetrics: [{ scope: { name: 'trading.oms', version: '2.1.0' }, metrics }],
  } as unknown as ResourceMetrics;
}

/** Number of data points in a workload. */
export function workloadPoints(options: WorkloadOptions): number {
  return (options.gauges + options.sums + options.histograms) * options.seriesPerMetric;
}

/** The export as the SDK's protobuf serializer writes it. */
export function protobufBody(rm: ResourceMetrics): Uint8Array {
  return ProtobufMetricsSerializer.serializeRequest(rm)!;
}

/** The export as the SDK's JSON serializer writes it. */
export function jsonBody(rm: ResourceMetrics): Uint8Array {
  return JsonMetricsSerializer.serializeRequest(rm)!;
}
