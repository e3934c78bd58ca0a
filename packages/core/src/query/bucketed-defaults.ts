import { TimeInterval } from '../time/index.ts';
import type { BucketedMetricState } from './bucketed-metric-builder.ts';
import { checkText } from './builder-base.ts';

/** The quantiles a quantile query estimates unless told otherwise: p50, p95, p99. */
export const DEFAULT_QUANTILES: readonly number[] = Object.freeze([0.5, 0.95, 0.99]);

/**
 * The state a time-bucketed metric query starts from: metric `name` (checked), 1-minute buckets, ungrouped, at most
 * 100,000 rows and 100,000 buckets.
 * @example new MetricAggregateBuilder({ ...bucketedDefaults('order_latency_ms'), fn: 'avg' })
 */
export function bucketedDefaults(name: string): BucketedMetricState {
  return {
    name: checkText('name', name),
    interval: TimeInterval.Minute,
    grouping: { by: 'none' },
    limit: 100_000,
    maxBuckets: 100_000,
  };
}
