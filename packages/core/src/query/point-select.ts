import { METRIC_KIND_TABLES, type MetricView } from '../catalog/metric-tables.ts';
import { ValidationError } from '../errors/errors.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';
import { type MetricViewKind, VIEW_KINDS } from './metric-kinds.ts';
import { type PointSelectionState, SeriesFilterBuilder } from './series-filter-builder.ts';

/** The kind of one point: scalar `gauge` or `sum`, `histogram`, `exponentialHistogram` or `summary`. */
export type PointKind = 'gauge' | 'sum' | 'histogram' | 'exponentialHistogram' | 'summary';

/**
 * A point of any kind from `selectPoints`: the shared fields, then the fields of its kind (the others null).
 * Counts are numbers (exact below 2^53).
 */
export interface PointRow {
  ts: Date;
  time_unix_nano: bigint;
  start_time_unix_nano: bigint | null;
  name: string;
  symbol: string | null;
  service: string | null;
  attributes: string;
  point_kind: PointKind;
  /** 0 unspecified, 1 delta, 2 cumulative; null for summaries. */
  temporality: number | null;
  /** gauge and sum */
  is_monotonic: boolean | null;
  value: number | null;
  value_int: number | bigint | null;
  /** histograms and summaries */
  count: number | null;
  sum: number | null;
  /** histograms */
  min: number | null;
  max: number | null;
  bucket_counts: number[] | null;
  explicit_bounds: number[] | null;
  /** exponential histograms */
  scale: number | null;
  zero_count: number | null;
  zero_threshold: number | null;
  positive_offset: number | null;
  positive_bucket_counts: number[] | null;
  negative_offset: number | null;
  negative_bucket_counts: number[] | null;
  /** summaries */
  quantiles: number[] | null;
  quantile_values: number[] | null;
}

/** The `point_kind` of each kind's points: scalars say gauge or sum by their `kind` column. */
const POINT_KIND_SQL: Readonly<Record<MetricView, string>> = {
  trading_metrics: "CASE kind WHEN 2 THEN 'sum' ELSE 'gauge' END",
  otel_histograms: `'${VIEW_KINDS.otel_histograms}'`,
  otel_exp_histograms: `'${VIEW_KINDS.otel_exp_histograms}'`,
  otel_summaries: `'${VIEW_KINDS.otel_summaries}'`,
};

/** Each points table with the value columns it contributes (count lists as DOUBLE[]: plain JSON numbers). */
const KIND_COLUMNS = METRIC_KIND_TABLES.map((t) => ({
  kind: VIEW_KINDS[t.view],
  table: t.points.name,
  columns: [
    `${POINT_KIND_SQL[t.view]} AS point_kind`,
    ...t.values
      .filter((c) => c.name !== 'kind')
      .map((c) => (c.type === 'UBIGINT[]' ? `${c.name}::DOUBLE[] AS ${c.name}` : c.name)),
  ].join(', '),
}));

/**
 * Selects metric points of every kind (gauges, sums, explicit and exponential histograms, summaries) by name,
 * symbol, labels and time range, newest first by default: each kind's newest (or oldest) `limit` points are picked
 * from its points table before the series are joined, then the kinds are merged in time order and cut to `limit`.
 * @example db.execute(selectPoints().name('order_latency_ms').between(from, to).limit(100))
 */
interface State extends PointSelectionState {
  kinds?: readonly MetricViewKind[];
}

export class PointSelectBuilder extends SeriesFilterBuilder<State> {
  /**
   * Read only metrics of these kinds (default: all four). A caller that knows the kinds a name has (see
   * `metricKindsOf`) saves the scans of the others.
   */
  kinds(kinds: readonly MetricViewKind[]): this {
    const known = Object.values(VIEW_KINDS) as string[];
    if (kinds.length === 0 || kinds.some((k) => !known.includes(k))) {
      throw new ValidationError('kind', `must be some of ${known.join(', ')}`);
    }
    return this.with({ kinds: [...kinds] });
  }
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<PointRow> {
    const where = this.pointsWhere();
    const direction = this.direction();
    const chosen = KIND_COLUMNS.filter((k) => this.state.kinds?.includes(k.kind) ?? true);
    const kinds = chosen.map(
      ({ table, columns }) => `(SELECT p.*, s.name, s.symbol, s.service, s.attributes
  FROM (SELECT series_id, ts, time_unix_nano, start_time_unix_nano, ${columns} FROM ${table}${where.toSql()}
        ORDER BY ts ${direction} LIMIT ?) p
  JOIN metric_series s ON s.series_id = p.series_id)`,
    );
    return compiled(
      `SELECT * EXCLUDE (series_id) FROM (${kinds.join('\nUNION ALL BY NAME\n')})
ORDER BY ts ${direction}, time_unix_nano ${direction}, point_kind LIMIT ?`,
      [...chosen.flatMap(() => [...where.params, this.state.limit]), this.state.limit],
    );
  }
}

/** Starts a selection of points of every kind (newest first, 1000 rows by default). */
export function selectPoints(): PointSelectBuilder {
  return new PointSelectBuilder({ order: 'desc', limit: 1000 });
}
