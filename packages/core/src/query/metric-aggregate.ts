import { ValidationError } from '../errors/errors.ts';
import type { AggregatedMetric } from '../models/result-types.ts';
import { type RollupPlan, routeRollup } from '../rollups/rollup-plan.ts';
import { AGGREGATIONS, type Aggregation } from './aggregations.ts';
import { bucketedDefaults } from './bucketed-defaults.ts';
import { BucketedMetricBuilder, type BucketedMetricState } from './bucketed-metric-builder.ts';
import { type CompiledQuery, compiled, type SqlParam } from './compiled-query.ts';
import { firstPointCounts, SERIES_WINDOW } from './cumulative-rule.ts';
import { isMergeable, rollupAggregate } from './metric-aggregate-rollup.ts';
import { metricWhere } from './metric-filter.ts';
import { groupExpression } from './metric-grouping.ts';
import { checkBucketCount } from './time-range-clause.ts';

const SIMPLE: Record<Exclude<Aggregation, 'rate' | 'increase'>, string> = {
  avg: 'avg(value)',
  sum: 'sum(value)',
  min: 'min(value)',
  max: 'max(value)',
  count: 'count(*)::DOUBLE',
  first: 'arg_min(value, time_unix_nano)',
  last: 'arg_max(value, time_unix_nano)',
  p50: 'quantile_cont(value, 0.5)',
  p90: 'quantile_cont(value, 0.9)',
  p95: 'quantile_cont(value, 0.95)',
  p99: 'quantile_cont(value, 0.99)',
};

interface State extends BucketedMetricState {
  fn: Aggregation;
}

/**
 * Aggregates one metric into time buckets (second to month), optionally grouped. `rate` and `increase` sum
 * per-series increases: delta points count as they are; a cumulative point counts its rise over the previous
 * point of its series (its whole value after a reset or a new start time); the first point of a series counts in
 * full only when the series started inside the range (see `firstPointCounts`).
 * @example aggregateMetrics('order_latency_ms').interval('1m').fn('p99').groupBy({ by: 'symbol' }).compile()
 */
export class MetricAggregateBuilder extends BucketedMetricBuilder<State> {
  /** The aggregation. */
  fn(fn: Aggregation): this {
    if (!AGGREGATIONS.includes(fn))
      throw new ValidationError('fn', `must be one of ${AGGREGATIONS.join(', ')}`);
    return this.with({ fn });
  }

  /**
   * Compiles to frozen SQL and parameters. With a rollup plan (`db.execute` passes `db.rollupPlan`), a mergeable
   * aggregation is answered from the coarsest rollup level that makes up the buckets (raw rows at unaligned edges)
   * and the query names its `source` (`rollup:1h`, `rollup:1h+raw` or `raw`); without one, from raw points.
   */
  compile(plan?: RollupPlan): CompiledQuery<AggregatedMetric> {
    const s = this.state;
    checkBucketCount(s, s.interval, s.maxBuckets);
    const route = plan && isMergeable(s.fn) ? routeRollup(plan, s.interval, s) : undefined;
    if (route && isMergeable(s.fn)) return rollupAggregate(s, s.fn, route);
    const raw = this.compileRaw();
    return plan ? compiled(raw.sql, raw.params, [], 'raw') : raw;
  }

  /** The raw-point query. */
  private compileRaw(): CompiledQuery<AggregatedMetric> {
    const s = this.state;
    const group = groupExpression(s.grouping);
    const where = metricWhere(s);
    const params: SqlParam[] = [s.interval.sql, ...group.params];
    // Without a grouping the group column is a constant NULL: grouping and sorting by it is wasted work.
    const keys = s.grouping.by === 'none' ? '1' : '1, 2';
    if (s.fn === 'rate' || s.fn === 'increase') {
      const perSecond = s.fn === 'rate' ? ` / ${s.interval.seconds}` : '';
      const first = firstPointCounts(s);
      return compiled(
        `WITH pts AS (
  SELECT ts, ${group.sql} AS g, value, temporality, start_time_unix_nano,
    lag(value) OVER w AS prev, lag(start_time_unix_nano) OVER w AS prev_start,
    CASE WHEN ${first.sql} THEN value ELSE 0 END AS first_increase
  FROM trading_metrics${where.toSql()}
  WINDOW w AS (${SERIES_WINDOW}))
SELECT time_bucket(?::INTERVAL, ts) AS bucket, g AS "group",
  sum(CASE WHEN temporality = 1 THEN value
           WHEN prev IS NULL THEN first_increase
           WHEN value < prev OR start_time_unix_nano IS DISTINCT FROM prev_start THEN value
           ELSE value - prev END)${perSecond} AS value,
  count(*) AS samples
FROM pts GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ?`,
        [...group.params, ...first.params, ...where.params, s.interval.sql, s.limit],
      );
    }
    return compiled(
      `SELECT time_bucket(?::INTERVAL, ts) AS bucket, ${group.sql} AS "group", ${SIMPLE[s.fn]} AS value, count(*) AS samples
FROM trading_metrics${where.toSql()} GROUP BY ${keys} ORDER BY ${keys} LIMIT ?`,
      [...params, ...where.params, s.limit],
    );
  }
}

/** Starts an aggregate of metric `name` (1-minute avg, ungrouped, by default). */
export function aggregateMetrics(name: string): MetricAggregateBuilder {
  return new MetricAggregateBuilder({ ...bucketedDefaults(name), fn: 'avg' });
}
