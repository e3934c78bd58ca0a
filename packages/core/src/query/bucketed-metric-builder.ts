import { TimeInterval } from '../time-interval.ts';
import { labelPointer, type WhereClause } from './builder-base.ts';
import { type MetricFilter, metricWhere } from './metric-filter.ts';
import { groupExpression, type MetricGrouping } from './metric-grouping.ts';
import { RangedBuilder } from './ranged-builder.ts';
import { checkBucketCount } from './time-range.ts';

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
export abstract class BucketedMetricBuilder<S extends BucketedMetricState> extends RangedBuilder<S> {
  /** Bucket width, e.g. `1m`. */
  interval(interval: string | TimeInterval): this {
    return this.with({ interval: TimeInterval.parse(interval) } as Partial<S>);
  }
  /** Group buckets by symbol, service or a label. */
  groupBy(grouping: MetricGrouping): this {
    if (grouping.by === 'label') labelPointer(grouping.key);
    return this.with({ grouping } as Partial<S>);
  }
  /** Only points of this symbol. */
  symbol(symbol: string): this {
    return this.with({ symbol } as Partial<S>);
  }
  /** Only points of this service (`service.name`). */
  service(service: string): this {
    return this.with({ service } as Partial<S>);
  }
  /** Only points whose attribute `key` equals `value` (as text). */
  label(key: string, value: string): this {
    labelPointer(key);
    return this.with({ labels: { ...this.state.labels, [key]: value } } as Partial<S>);
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
    return this.with({ maxBuckets } as Partial<S>);
  }
}
