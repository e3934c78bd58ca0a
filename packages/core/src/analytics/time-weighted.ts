import { ValidationError } from '../errors/errors.ts';
import { BucketedMetricBuilder, type BucketedMetricState } from '../query/bucketed-metric-builder.ts';
import { WhereClause } from '../query/builder-base.ts';
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
    const series = seriesWhere(s);
    const inRange = new WhereClause();
    addTimeRange(inRange, s, 'p.ts');
    const i = s.interval.sql;
    // Series are numbered (a small sort key) and their group attached only to the per-bucket sums; a segment
    // inside one bucket (nearly all of them) is summed as is, only those crossing a bucket end are unnested.
    return compiled(
      `WITH ids AS (SELECT series_id, ${group.sql} AS g, (row_number() OVER ())::UINTEGER AS _n FROM metric_series${series.toSql()}),
pts AS (
  SELECT i._n, p.ts, p.value, true AS sample FROM metric_points p JOIN ids i USING (series_id)${inRange.toSql()}
  UNION ALL
  SELECT i._n, ?::TIMESTAMP, arg_max(p.value, p.ts), false FROM metric_points p JOIN ids i USING (series_id)
  WHERE p.ts < ?::TIMESTAMP GROUP BY i._n),
seg AS (
  SELECT _n, ts AS s, coalesce(lead(ts) OVER (PARTITION BY _n ORDER BY ts, sample), ?::TIMESTAMP) AS e, value, sample,
    time_bucket(?::INTERVAL, ts) AS b0
  FROM pts),
parts AS (
  SELECT b0 AS bucket, _n, value, sample AS counted, epoch_us(e) - epoch_us(s) AS us
  FROM seg WHERE e <= b0 + ?::INTERVAL AND b0 < e
  UNION ALL
  SELECT bucket, _n, value, sample AND bucket = b0,
    epoch_us(least(e, bucket + ?::INTERVAL)) - epoch_us(greatest(s, bucket))
  FROM (SELECT *, unnest(range(b0, e, ?::INTERVAL)) AS bucket FROM seg WHERE e > b0 + ?::INTERVAL)),
sums AS (
  SELECT bucket, _n, sum(value * us) AS vus, sum(us) AS us, count(*) FILTER (WHERE counted) AS samples
  FROM parts GROUP BY 1, 2)
SELECT bucket, g AS "group", sum(vus) / nullif(sum(us), 0) AS twa, coalesce(sum(vus), 0) / 1e6 AS integral,
  sum(us) / 1e6 AS covered_seconds, sum(samples)::BIGINT AS samples
FROM sums JOIN ids USING (_n) GROUP BY 1, 2 ORDER BY 1, 2 LIMIT ?`,
      [...group.params, ...series.params, ...inRange.params, from, from, to, i, i, i, i, i, s.limit],
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
