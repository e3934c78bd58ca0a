import type { SqlParam } from './compiled-query.ts';
import { firstPointCounts } from './cumulative-rule.ts';
import type { MetricFilter } from './metric-filter.ts';

/** What a point of a distribution (histogram or summary) adds to its bucket, see {@link contributionMode}. */
export const Contribution = { Baseline: 0, Whole: 1, Rise: 2 } as const;

/**
 * A SQL `CASE` classifying each point of a distribution metric by what it adds to its time bucket:
 * 1 (whole) for a delta point, a cumulative point after a reset (its count fell or its start time changed), and
 * the first point of a series that started in the range (`firstPointCounts`); 2 (rise) for any other cumulative
 * point, which adds its counts minus those of the previous point of its series; 0 (baseline) for a first point
 * that only serves as the baseline of the next. It reads the columns `temporality`, `count`,
 * `start_time_unix_nano` and the previous point's `prev_count` and `prev_start` (lags over the series window).
 * @example const mode = contributionMode(filter); sql += `SELECT *, ${mode.sql} AS mode FROM pts`;
 */
export function contributionMode(filter: MetricFilter): { sql: string; params: SqlParam[] } {
  const first = firstPointCounts(filter);
  return {
    sql: `CASE WHEN temporality <> 2 THEN ${Contribution.Whole}
    WHEN prev_count IS NULL THEN CASE WHEN ${first.sql} THEN ${Contribution.Whole} ELSE ${Contribution.Baseline} END
    WHEN count < prev_count OR start_time_unix_nano IS DISTINCT FROM prev_start THEN ${Contribution.Whole}
    ELSE ${Contribution.Rise} END`,
    params: first.params,
  };
}

/**
 * SQL: whether the next point of the series adds its rise over this one (the `Rise` case of
 * {@link contributionMode} seen from this point). Reads `count`, `start_time_unix_nano` and the next point's
 * `next_temporality`, `next_count` and `next_start` (leads over the series window); false for the last point.
 * @example sql += `SELECT *, ${NEXT_RISES} AS next_rises FROM (SELECT *, lead(count) OVER w AS next_count, ...)`;
 */
export const NEXT_RISES = `coalesce(next_temporality = 2 AND next_count >= count
      AND next_start IS NOT DISTINCT FROM start_time_unix_nano, false)`;
