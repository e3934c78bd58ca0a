import type { TimeRange } from '../time/index.ts';
import { type CompiledQuery, compiled, type SqlParam } from './compiled-query.ts';
import { type PointSelectionState, SeriesFilterBuilder } from './series-filter-builder.ts';

/** A row of `selectMetrics`. */
export interface MetricRow {
  ts: Date;
  time_unix_nano: bigint;
  name: string;
  value: number;
  symbol: string | null;
  service: string | null;
  attributes: string;
  kind: number;
}

/**
 * Selects scalar metric points by name, symbol, labels and time range.
 * @example db.query(selectMetrics().name('order_latency_ms').symbol('BTC/USD').label('exchange', 'alpaca').limit(100).compile())
 */
export class MetricSelectBuilder extends SeriesFilterBuilder<PointSelectionState> {
  /**
   * Compiles to frozen SQL and parameters. The newest (or oldest) points are picked from `metric_points` among
   * the matching series before their series columns are joined, so the join handles `limit` rows, not every
   * point of the range (the `trading_metrics` view would join them all before the top-N). With both ends of the
   * range set, a shortcut first looks at the newest (oldest) 1/16 of the range: DuckDB skips the row
   * groups outside it by their time statistics, and a part that already holds `limit` points is the answer.
   */
  compile(): CompiledQuery<MetricRow> {
    const { from, to, order, limit } = this.state;
    const shortcuts =
      from === undefined || to === undefined
        ? []
        : SHORTCUT_FRACTIONS.map((fraction) => {
            const width = (to - from) / fraction;
            const part = order === 'asc' ? { from, to: from + width } : { from: to - width, to };
            return { ...this.pointsQuery(part), minRows: limit };
          });
    const whole = this.pointsQuery(this.state);
    return compiled(whole.sql, whole.params, shortcuts);
  }

  private pointsQuery(range: TimeRange): { sql: string; params: SqlParam[] } {
    const points = this.pointsWhere(range);
    const direction = this.direction();
    return {
      sql: `SELECT p.ts, p.time_unix_nano, s.name, p.value, s.symbol, s.service, s.attributes, p.kind
       FROM (SELECT series_id, ts, time_unix_nano, value, kind FROM metric_points${points.toSql()}
             ORDER BY ts ${direction} LIMIT ?) p
       JOIN metric_series s ON s.series_id = p.series_id ORDER BY p.ts ${direction}`,
      params: [...points.params, this.state.limit],
    };
  }
}

/**
 * The part of the range (1/16) that a limited selection looks at first: a miss costs one more query over 1/16 of
 * the points, a hit saves reading the other 15/16.
 */
const SHORTCUT_FRACTIONS = [16n] as const;

/** Starts a metric selection (newest first, 1000 rows by default). */
export function selectMetrics(): MetricSelectBuilder {
  return new MetricSelectBuilder({ order: 'desc', limit: 1000 });
}
