import { ValidationError } from '../errors.ts';
import { BucketedMetricBuilder, type BucketedMetricState } from '../query/bucketed-metric-builder.ts';
import { type CompiledQuery, compiled } from '../query/compiled-query.ts';
import { seriesWhere } from '../query/metric-filter.ts';
import { groupExpression } from '../query/metric-grouping.ts';
import { addTimeRange, checkBucketCount } from '../query/time-range-clause.ts';
import { nanosToSqlTimestamp, TimeInterval } from '../time/index.ts';

/** A bucket of a time-weighted gauge. */
export interface TimeWeightedRow {
  bucket: Date;
  /** The group (symbol, service or label value) or null when ungrouped. */
  group: string | null;
  /** Time-weighted average: integral / covered_seconds (null when nothing covers the bucket). */
  twa: number | null;
  /** ∫ value dt over the bucket in value·seconds, summed over the group's series. */
  integral: number;
  /** Seconds of the bucket (within the range) during which the group's series had a value, summed over series. */
  covered_seconds: number;
  /** Points inside the bucket. */
  samples: number;
}

/**
 * Time-weighted average and integral of a gauge per bucket. Each series is a step function: a point's value holds
 * from its time until the next point of the series, the last one until the end of the range, and the value at the
 * start of the range is the series' last point before it (so the first bucket is covered from the range start).
 * Before a series' first point it has no value. A bucket's figures add up the group's series: `integral` sums
 * their integrals, `twa` divides that by their summed covered time. Needs both ends of the range; buckets that no
 * series covers are absent. Points of one series with the same time: one of them holds (unspecified).
 * @example timeWeighted('position').interval('1h').groupBy({ by: 'symbol' }).between(from, to).compile()
 */
export class TimeWeightedBuilder extends BucketedMetricBuilder<BucketedMetricState> {
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<TimeWeightedRow> {
    const s = this.state;
    if (s.from === undefined || s.to === undefined) {
      throw new ValidationError('from', 'a time-weighted average needs both ends of the range (from and to)');
    }
    checkBucketCount(s, s.interval, s.maxBuckets);
    const from = nanosToSqlTimestamp(s.from);
    const to = nanosToSqlTimestamp(s.to);
    const group = groupExpression(s.grouping);
    const inRange = seriesWhere(s);
    addTimeRange(inRange, s);
    const before = seriesWhere(s).add('ts < ?::TIMESTAMP', from);
    return compiled(
      `WITH pts AS (
  SELECT series_id, ${group.sql} AS g, ts, value, true AS sample FROM trading_metrics${inRange.toSql()}
  UNION ALL
  SELECT series_id, arg_max(${group.sql}, ts), ?::TIMESTAMP, arg_max(value, ts), false FROM trading_metrics${before.toSql()}
  GROUP BY series_id),
seg AS (
  SELECT g, ts AS s, coalesce(lead(ts) OVER (PARTITION BY series_id ORDER BY ts, sample), ?::TIMESTAMP) AS e, value, sample
  FROM pts),
pieces AS (
  SELECT g, s, e, value, sample, unnest(range(time_bucket(?::INTERVAL, s), e, ?::INTERVAL)) AS bucket FROM seg),
parts AS (
  SELECT bucket, g, value, sample AND bucket = time_bucket(?::INTERVAL, s) AS counted,
    epoch_us(least(e, bucket + ?::INTERVAL)) - epoch_us(greatest(s, bucket)) AS us
  FROM pieces)
SELECT bucket, g AS "group", sum(value * us) / nullif(sum(us), 0) AS twa, coalesce(sum(value * us), 0) / 1e6 AS integral,
  sum(us) / 1e6 AS covered_seconds, count(*) FILTER (WHERE counted) AS samples
FROM parts GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ?`,
      [
        ...group.params,
        ...inRange.params,
        ...group.params,
        from,
        ...before.params,
        to,
        s.interval.sql,
        s.interval.sql,
        s.interval.sql,
        s.interval.sql,
        s.limit,
      ],
    );
  }
}

/**
 * Starts a time-weighted average of gauge `name` (1-minute buckets, ungrouped).
 * @example db.execute(timeWeighted('spread_bps').interval('1h').groupBy({ by: 'symbol' }).between(from, to))
 */
export function timeWeighted(name: string): TimeWeightedBuilder {
  return new TimeWeightedBuilder({
    name,
    interval: TimeInterval.Minute,
    grouping: { by: 'none' },
    limit: 100_000,
    maxBuckets: 100_000,
  });
}
