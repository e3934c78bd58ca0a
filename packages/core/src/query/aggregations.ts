/** Aggregations over the points of a bucket. `rate` and `increase` treat the metric as a counter and handle resets. */
export const AGGREGATIONS = [
  'avg',
  'sum',
  'min',
  'max',
  'count',
  'first',
  'last',
  'p50',
  'p90',
  'p95',
  'p99',
  'rate',
  'increase',
] as const;
/** One of {@link AGGREGATIONS}. */
export type Aggregation = (typeof AGGREGATIONS)[number];
