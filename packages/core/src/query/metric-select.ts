import type { TimeRange } from '../time/index.ts';
import { WhereClause } from './builder-base.ts';
import {
  type CompiledQuery,
  compiled,
  type PointsStep,
  type SeriesFirst,
  type SeriesRow,
  type Shortcut,
  type SqlParam,
} from './compiled-query.ts';
import { seriesWhere } from './metric-filter.ts';
import { type PointSelectionState, SeriesFilterBuilder } from './series-filter-builder.ts';
import { addTimeRange } from './time-range-clause.ts';

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
   * range set, a shortcut first looks at the newest (oldest) 1/32 of the range: DuckDB skips the row
   * groups outside it by their time statistics, and a part that already holds `limit` points is the answer.
   * With a series filter the query also carries its series-first form (`bySeries`), which the database
   * prefers: the series once (remembered until a write adds series), then the points by literal series ids.
   */
  compile(): CompiledQuery<MetricRow> {
    const whole = this.pointsQuery(this.state);
    const query = compiled<MetricRow>(
      whole.sql,
      whole.params,
      this.shortcuts(SHORTCUT_FRACTIONS, (part) => this.pointsQuery(part)),
    );
    const series = seriesWhere(this.state);
    if (series.clauses.length === 0) return query;
    return Object.freeze({ ...query, bySeries: this.seriesFirst(series) });
  }

  /**
   * The series-first form (see `SeriesFirst`): the matching series' columns, then the newest (oldest) points of
   * those series by literal ids, with shortcuts over the newest 1/256 and 1/32 of the range.
   */
  private seriesFirst(series: WhereClause): SeriesFirst<MetricRow> {
    const points = (ids: readonly string[], range: TimeRange) => {
      const where = new WhereClause().add(`series_id IN (${seriesIdList(ids)})`);
      addTimeRange(where, range);
      return {
        sql: `SELECT ${POINT_COLUMNS} FROM metric_points${where.toSql()} ORDER BY ts ${this.direction()} LIMIT ?`,
        params: [...where.params, this.state.limit],
      };
    };
    return Object.freeze({
      series: Object.freeze({
        sql: `SELECT series_id, name, symbol, service, attributes FROM metric_series${series.toSql()}`,
        params: Object.freeze([...series.params]),
      }),
      maxSeries: MAX_LITERAL_SERIES,
      points: (ids: readonly string[]): PointsStep => ({
        ...points(ids, this.state),
        shortcuts: this.shortcuts(SERIES_SHORTCUT_FRACTIONS, (part) => points(ids, part)),
        shape: `${this.state.order}:${this.state.limit}:${rangeWidth(this.state)}`,
      }),
      row: (p: Record<string, unknown>, s: SeriesRow) =>
        ({
          ts: p.ts,
          time_unix_nano: p.time_unix_nano,
          name: s.name,
          value: p.value,
          symbol: s.symbol,
          service: s.service,
          attributes: s.attributes,
          kind: p.kind,
        }) as MetricRow,
    });
  }

  /** Shortcuts over the newest (oldest) `1/fraction` of the range, for each fraction; none without both ends. */
  private shortcuts(
    fractions: readonly bigint[],
    query: (part: TimeRange) => { sql: string; params: SqlParam[] },
  ): Shortcut[] {
    const { from, to, order, limit } = this.state;
    if (from === undefined || to === undefined) return [];
    return fractions.map((fraction) => {
      const width = (to - from) / fraction;
      const part = order === 'asc' ? { from, to: from + width } : { from: to - width, to };
      return { ...query(part), minRows: limit };
    });
  }

  private pointsQuery(range: TimeRange): { sql: string; params: SqlParam[] } {
    const series = seriesWhere(this.state);
    const direction = this.direction();
    const limit = this.state.limit;
    if (series.clauses.length === 0) {
      // Every series: join the chosen points to `metric_series` itself (no copy of the whole table).
      const points = this.pointsWhere(range);
      return {
        sql: `SELECT ${ROW_COLUMNS}
       FROM (SELECT ${POINT_COLUMNS} FROM metric_points${points.toSql()} ORDER BY ts ${direction} LIMIT ?) p
       JOIN metric_series s ON s.series_id = p.series_id ORDER BY p.ts ${direction}`,
        params: [...points.params, limit],
      };
    }
    // The matching series once: they filter the points scan and give the chosen points their columns.
    const points = new WhereClause();
    points.add('series_id IN (SELECT series_id FROM s)');
    addTimeRange(points, range);
    return {
      sql: `WITH s AS MATERIALIZED (SELECT series_id, name, symbol, service, attributes FROM metric_series${series.toSql()})
SELECT ${ROW_COLUMNS}
       FROM (SELECT ${POINT_COLUMNS} FROM metric_points${points.toSql()} ORDER BY ts ${direction} LIMIT ?) p
       JOIN s ON s.series_id = p.series_id ORDER BY p.ts ${direction}`,
      params: [...series.params, ...points.params, limit],
    };
  }
}

/** The columns of a {@link MetricRow}, from the chosen points `p` and their series `s`. */
const ROW_COLUMNS = 'p.ts, p.time_unix_nano, s.name, p.value, s.symbol, s.service, s.attributes, p.kind';
/** What the top-N keeps of each point. */
const POINT_COLUMNS = 'series_id, ts, time_unix_nano, value, kind';

/**
 * The part of the range (1/32) that a limited selection looks at first: a miss costs one more query over that
 * part (about as much as the hit saves: a whole query's fixed cost), a hit saves reading the other 31/32.
 * Measured on the bench's newest-100-of-one-series-in-a-day at 1M, 3M and 10M points: 1/32 was as fast as or
 * faster than 1/16 at every size; 1/256 then 1/16 won only at 10M and lost at the smaller sizes by its miss.
 */
const SHORTCUT_FRACTIONS = [32n] as const;

/**
 * The parts the series-first form looks at first: with literal series ids a probe costs about 1.5 ms, so a
 * narrower first part pays off (newest-100-of-24-series in a day at 10M points: 1/256 2.2 ms, 1/32 4.1 ms).
 */
const SERIES_SHORTCUT_FRACTIONS = [256n, 32n] as const;

/** Most series the series-first form writes out as literals; with more the compiled statement runs. */
const MAX_LITERAL_SERIES = 512;

/** The width of a range in nanoseconds, or `open` when an end is not set. */
function rangeWidth(range: TimeRange): string {
  return range.from === undefined || range.to === undefined ? 'open' : String(range.to - range.from);
}

/**
 * The SQL list of series ids (decimal text of UBIGINTs, checked, so they can be inlined).
 * @throws Error when an id is not a decimal integer
 */
function seriesIdList(ids: readonly string[]): string {
  for (const id of ids) if (!/^\d{1,20}$/.test(id)) throw new Error(`not a series id: ${id}`);
  return ids.join(', ');
}

/** Starts a metric selection (newest first, 1000 rows by default). */
export function selectMetrics(): MetricSelectBuilder {
  return new MetricSelectBuilder({ order: 'desc', limit: 1000 });
}
