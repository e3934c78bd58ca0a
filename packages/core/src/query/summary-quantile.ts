import { bucketedDefaults } from './bucketed-defaults.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { QuantileBuilder, type QuantileState } from './quantile-builder.ts';
import { quantilePlaceholders } from './quantile-list.ts';

/** One stored quantile of a summary metric in one time bucket. */
export interface SummaryQuantileRow {
  bucket: Date;
  group: string | null;
  quantile: number;
  /** The mean over series of each series' last value of this quantile in the bucket. */
  value: number;
  /** Series averaged. */
  series: number;
}

/**
 * Reads the quantiles summary points carry, per time bucket. A summary's quantiles describe its series since the
 * series started (or over the client's sliding window) and cannot be merged exactly, so the rule is: take each
 * series' last point in the bucket, then average each quantile over the series of the group (with one series per
 * group, the value is that series' own). Only quantiles the points carry are returned; `quantiles()` keeps those
 * equal to the given ones.
 * @example summaryQuantiles('rpc_duration').quantiles([0.5, 0.99]).interval('5m').groupBy({ by: 'service' })
 */
export class SummaryQuantileBuilder extends QuantileBuilder<QuantileState> {
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<SummaryQuantileRow> {
    const { s, group, where } = this.checkedParts();
    const keep = s.quantiles ? `WHERE quantile IN (${quantilePlaceholders(s.quantiles)})` : '';
    return compiled(
      `WITH latest AS (
  SELECT time_bucket(?::INTERVAL, ts) AS bucket, ${group.sql} AS g,
    arg_max({'qs': quantiles, 'vs': quantile_values}, time_unix_nano) AS last
  FROM otel_summaries${where.toSql()}
  GROUP BY bucket, g, name, service, symbol, attributes),
cells AS (SELECT bucket, g, unnest(last.qs) AS quantile, unnest(last.vs) AS value FROM latest)
SELECT bucket, g AS "group", quantile, avg(value) AS value, count(*) AS series
FROM cells ${keep}
GROUP BY bucket, g, quantile ORDER BY bucket, "group", quantile LIMIT ?`,
      [s.interval.sql, ...group.params, ...where.params, ...(s.quantiles ?? []), s.limit],
    );
  }
}

/** Starts a summary quantile query (every stored quantile, per minute, by default). */
export function summaryQuantiles(name: string): SummaryQuantileBuilder {
  return new SummaryQuantileBuilder(bucketedDefaults(name));
}
