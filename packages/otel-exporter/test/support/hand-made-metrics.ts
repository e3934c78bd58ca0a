import { ValueType } from '@opentelemetry/api';
import {
  AggregationTemporality,
  type DataPoint,
  DataPointType,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { HrTime } from '../../src/hr-time.ts';

/** A data point as a test writes it by hand (any attributes, optional exemplars). */
export interface HandPoint {
  startTime: HrTime;
  endTime: HrTime;
  attributes: Record<string, unknown>;
  value: number;
  exemplars?: unknown[];
}

/** A scalar metric the SDK would not produce itself (e.g. a zero start time or out-of-range values). */
export function scalarMetric(options: {
  name: string;
  kind: 'sum' | 'gauge';
  int: boolean;
  delta?: boolean;
  monotonic?: boolean;
  description?: string;
  unit?: string;
  points: HandPoint[];
}): MetricData {
  return {
    descriptor: {
      name: options.name,
      description: options.description ?? '',
      unit: options.unit ?? '',
      valueType: options.int ? ValueType.INT : ValueType.DOUBLE,
    },
    aggregationTemporality: options.delta ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE,
    dataPointType: options.kind === 'sum' ? DataPointType.SUM : DataPointType.GAUGE,
    isMonotonic: options.monotonic ?? false,
    dataPoints: options.points as unknown as DataPoint<number>[],
  } as MetricData;
}

/** Wraps hand-made metrics in one scope of a resource. */
export function handMadeMetrics(
  resource: ResourceMetrics['resource'],
  scope: ResourceMetrics['scopeMetrics'][number]['scope'],
  metrics: MetricData[],
): ResourceMetrics {
  return { resource, scopeMetrics: [{ scope, metrics }] };
}
