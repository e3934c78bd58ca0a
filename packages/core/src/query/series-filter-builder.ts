import type { TimeRange } from '../time/index.ts';
import { checkText, WhereClause } from './builder-base.ts';
import { type MetricFilter, seriesWhere } from './metric-filter.ts';
import { MetricFilterBuilder } from './metric-filter-builder.ts';
import type { RangedState } from './ranged-builder.ts';
import { addTimeRange } from './time-range-clause.ts';

/** State of a point selection: series filters, time range, row limit and time order. */
export interface PointSelectionState extends MetricFilter, RangedState {
  order: 'asc' | 'desc';
}

/**
 * Setters of the builders that select metric points (one kind or all): the series filters of
 * {@link MetricFilterBuilder} plus name and order. Each returns a new builder.
 */
export abstract class SeriesFilterBuilder<S extends PointSelectionState> extends MetricFilterBuilder<S> {
  /** Only points of this metric. */
  name(name: string): this {
    return this.with({ name: checkText('name', name) } as Partial<S>);
  }
  /** Order by time. */
  order(order: 'asc' | 'desc'): this {
    return this.with({ order } as Partial<S>);
  }
  /**
   * The WHERE clause on a narrow points table: its series among those the filters select (from
   * `metric_series`), and the time range (the state's unless told otherwise).
   */
  protected pointsWhere(range: TimeRange = this.state): WhereClause {
    const series = seriesWhere(this.state);
    const points = new WhereClause();
    if (series.clauses.length > 0) {
      points.add(`series_id IN (SELECT series_id FROM metric_series${series.toSql()})`, ...series.params);
    }
    addTimeRange(points, range);
    return points;
  }
  /** `ASC` or `DESC`, from the order. */
  protected direction(): 'ASC' | 'DESC' {
    return this.state.order === 'asc' ? 'ASC' : 'DESC';
  }
}
