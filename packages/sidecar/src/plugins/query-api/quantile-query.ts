import {
  type CompiledQuery,
  expHistogramQuantiles,
  type HistogramQuantileRow,
  histogramQuantiles,
  type MetricGrouping,
  type MetricViewKind,
  type SummaryQuantileRow,
  summaryQuantiles,
  type TimestampInput,
  ValidationError,
} from '@duckside/core';

/** The metric kinds `/api/v1/histograms` answers quantiles for. */
export const QUANTILE_KINDS = ['histogram', 'exponentialHistogram', 'summary'] as const;
/** One of {@link QUANTILE_KINDS}. */
export type QuantileKind = (typeof QUANTILE_KINDS)[number];

/** What the endpoint sets on a quantile builder of any kind. */
export interface QuantileQuery {
  between(from: TimestampInput | undefined, to: TimestampInput | undefined): QuantileQuery;
  limit(limit: number): QuantileQuery;
  groupBy(grouping: MetricGrouping): QuantileQuery;
  interval(interval: string): QuantileQuery;
  quantiles(quantiles: number[]): QuantileQuery;
  symbol(symbol: string): QuantileQuery;
  maxBuckets(maxBuckets: number): QuantileQuery;
  compile(): CompiledQuery<HistogramQuantileRow | SummaryQuantileRow>;
}

/**
 * The quantile builder for a metric of `kind`: estimated from explicit or exponential buckets, or the stored
 * quantiles of a summary.
 * @example quantileQuery('exponentialHistogram', 'order_latency_ms').interval('1h')
 */
export function quantileQuery(kind: QuantileKind, name: string): QuantileQuery {
  switch (kind) {
    case 'exponentialHistogram':
      return expHistogramQuantiles(name);
    case 'summary':
      return summaryQuantiles(name);
    default:
      return histogramQuantiles(name);
  }
}

/**
 * The quantile kind among a metric's `kinds` (see `metricKindsOf`), or undefined when it has none.
 * @throws ValidationError (field `kind`) when the name has points of two quantile kinds: the caller must choose.
 */
export function quantileKind(name: string, kinds: readonly MetricViewKind[]): QuantileKind | undefined {
  const found = kinds.filter((k): k is QuantileKind => k !== 'scalar');
  if (found.length > 1) {
    throw new ValidationError('kind', `${name} is stored as ${found.join(' and ')}: pass kind= to choose`);
  }
  return found[0];
}
