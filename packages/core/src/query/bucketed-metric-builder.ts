import { TimeInterval } from '../time/index.ts';
import { checkCount, labelPointer, type WhereClause } from './builder-base.ts';
import { type MetricFilter, metricWhere } from './metric-filter.ts';
import { MetricFilterBuilder } from './metric-filter-builder.ts';
import { groupExpression, type MetricGrouping } from './metric-grouping.ts';
import { checkBucketCount } from './time-range-clause.ts';

/** Largest `maxBuckets` a query may ask for. */
const MAX_BUCKETS = 10_000_000;

/** State shared by the time-bucketed metric queries. */
export interface BucketedMetricState extends MetricFilter {
  interval: TimeInterval;
  grouping: MetricGrouping;
  limit: number;
  maxBuckets: number;
}

/**
 * Setters shared by the time-bucketed metric builders (aggregates and histogram quantiles): filters, bucket width,
 * grouping and bounds. Each returns a new builder.
 */
export abstract class BucketedMetricBuilder<S extends BucketedMetricState> extends MetricFilterBuilder<S> {
  /** Bucket width, e.g. `1m`. */
  interval(interval: string | TimeInterval): this {
    return this.with({ interval: TimeInterval.parse(interval) } as Partial<S>);
  }
  /** Group buckets by symbol, service or a label. */
  groupBy(grouping: MetricGrouping): this {
    if (grouping.by === 'label') labelPointer(grouping.key);
    return this.with({ grouping } as Partial<S>);
  }
  /**
   * What every bucketed query compiles from: the state, after checking the range's bucket count, with the grouping
   * expression and the WHERE clause of the filters.
   */
  protected checkedParts(): {
    s: Readonly<S>;
    group: ReturnType<typeof groupExpression>;
    where: WhereClause;
  } {
    const s = this.state;
    checkBucketCount(s, s.interval, s.maxBuckets);
    return { s, group: groupExpression(s.grouping), where: metricWhere(s) };
  }
  /** Refuse ranges with more buckets than this (default 100,000). */
  maxBuckets(maxBuckets: number): this {
    return this.with({ maxBuckets: checkCount('maxBuckets', maxBuckets, MAX_BUCKETS) } as Partial<S>);
  }
}
