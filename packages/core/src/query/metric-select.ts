import { type CompiledQuery, compiled } from './compiled-query.ts';
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
   * point of the range (the `trading_metrics` view would join them all before the top-N).
   */
  compile(): CompiledQuery<MetricRow> {
    const points = this.pointsWhere();
    const direction = this.direction();
    return compiled(
      `SELECT p.ts, p.time_unix_nano, s.name, p.value, s.symbol, s.service, s.attributes, p.kind
       FROM (SELECT series_id, ts, time_unix_nano, value, kind FROM metric_points${points.toSql()}
             ORDER BY ts ${direction} LIMIT ?) p
       JOIN metric_series s ON s.series_id = p.series_id ORDER BY p.ts ${direction}`,
      [...points.params, this.state.limit],
    );
  }
}

/** Starts a metric selection (newest first, 1000 rows by default). */
export function selectMetrics(): MetricSelectBuilder {
  return new MetricSelectBuilder({ order: 'desc', limit: 1000 });
}
