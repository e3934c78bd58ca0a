import { ValidationError } from '../errors/errors.ts';
import { bucketedDefaults } from './bucketed-defaults.ts';
import { BucketedMetricBuilder, type BucketedMetricState } from './bucketed-metric-builder.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { SERIES_WINDOW } from './cumulative-rule.ts';
import { Contribution, contributionMode } from './point-contribution.ts';

/** The metric views holding distributions: explicit and exponential histograms, and summaries. */
export const DISTRIBUTION_TABLES = ['otel_histograms', 'otel_exp_histograms', 'otel_summaries'] as const;
/** One of {@link DISTRIBUTION_TABLES}. */
export type DistributionTable = (typeof DISTRIBUTION_TABLES)[number];

/** Count, sum and extremes of a distribution metric in one time bucket. */
export interface DistributionStatsRow {
  bucket: Date;
  group: string | null;
  /** Observations in the bucket (delta counts, rises of cumulative counts). */
  count: number;
  /** Their sum (null when the points carry none). */
  sum: number | null;
  /** `count` per second of the bucket width. */
  countRate: number;
  /** `sum` per second of the bucket width. */
  sumRate: number | null;
  /** Smallest `min` the points report (null for summaries, or when unset). */
  min: number | null;
  /** Largest `max` the points report (null for summaries, or when unset). */
  max: number | null;
  /** Points that contributed. */
  points: number;
}

interface State extends BucketedMetricState {
  table: DistributionTable;
}

/**
 * Count, sum, their rates, min and max per time bucket of a histogram (explicit or exponential) or summary
 * metric. Counts and sums follow `contributionMode`: delta points add theirs, cumulative points (summaries always
 * are) their rise over the previous point of their series, or all of it after a reset; a series' first point in
 * the range is only a baseline unless the series started inside it. Rates divide by the bucket width in seconds.
 * `min` and `max` are the extremes the contributing points report; a cumulative point reports them since its
 * series' start, so for cumulative data they bound the bucket's observations rather than equal them.
 * @example distributionStats('otel_summaries', 'rpc_duration').interval('5m').groupBy({ by: 'service' }).compile()
 */
export class DistributionStatsBuilder extends BucketedMetricBuilder<State> {
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<DistributionStatsRow> {
    const { s, group, where } = this.checkedParts();
    const mode = contributionMode(s);
    const summary = s.table === 'otel_summaries';
    const seconds = s.interval.seconds;
    const rise = (column: string) =>
      `sum(CASE mode WHEN ${Contribution.Whole} THEN ${column} ELSE ${column}::DOUBLE - prev_${column} END)`;
    return compiled(
      `WITH pts AS (
  SELECT ts, ${group.sql} AS g, ${summary ? '2' : 'temporality'} AS temporality, count, sum,
    ${summary ? 'NULL::DOUBLE AS min, NULL::DOUBLE AS max' : 'min, max'}, start_time_unix_nano,
    lag(count) OVER w AS prev_count, lag(sum) OVER w AS prev_sum, lag(start_time_unix_nano) OVER w AS prev_start
  FROM ${s.table}${where.toSql()}
  WINDOW w AS (${SERIES_WINDOW})),
modes AS (SELECT *, ${mode.sql} AS mode FROM pts),
buckets AS (
  SELECT time_bucket(?::INTERVAL, ts) AS bucket, g, ${rise('count')}::DOUBLE AS count, ${rise('sum')} AS sum,
    min(min) AS min, max(max) AS max, count(*) AS points
  FROM modes WHERE mode <> ${Contribution.Baseline} GROUP BY 1, 2)
SELECT bucket, g AS "group", count, sum, count / ${seconds} AS "countRate", sum / ${seconds} AS "sumRate",
  min, max, points
FROM buckets ORDER BY 1, 2 LIMIT ?`,
      [...group.params, ...where.params, ...mode.params, s.interval.sql, s.limit],
    );
  }
}

/**
 * Starts a count/sum/min/max query over `table`'s metric `name` (per minute, ungrouped, by default).
 * @throws ValidationError (field `table`) for a table that holds no distributions.
 */
export function distributionStats(table: DistributionTable, name: string): DistributionStatsBuilder {
  if (!(DISTRIBUTION_TABLES as readonly string[]).includes(table)) {
    throw new ValidationError('table', `must be one of ${DISTRIBUTION_TABLES.join(', ')}`);
  }
  return new DistributionStatsBuilder({ ...bucketedDefaults(name), table });
}
