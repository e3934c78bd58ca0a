import { WhereClause } from './builder-base.ts';
import { type MetricFilter, seriesWhere } from './metric-filter.ts';
import { RangedBuilder, type RangedState } from './ranged-builder.ts';
import { addTimeRange } from './time-range.ts';

/** State of a point selection: series filters, time range, row limit and time order. */
export interface PointSelectionState extends MetricFilter, RangedState {
  order: 'asc' | 'desc';
}

/**
 * Setters of the builders that select metric points (one kind or all): name, symbol, service, labels, order.
 * Each returns a new builder.
 */
export abstract class SeriesFilterBuilder<S extends PointSelectionState> extends RangedBuilder<S> {
  /** Only points of this metric. */
  name(name: string): this {
    return this.with({ name } as Partial<S>);
  }
  /** Only points of this symbol. */
  symbol(symbol: string): this {
    return this.with({ symbol } as Partial<S>);
  }
  /** Only points of this service (`service.name`). */
  service(service: string): this {
    return this.with({ service } as Partial<S>);
  }
  /** Only points whose attribute `key` equals `value` (as text). */
  label(key: string, value: string): this {
    return this.with({ labels: { ...this.state.labels, [key]: value } } as Partial<S>);
  }
  /** Order by time. */
  order(order: 'asc' | 'desc'): this {
    return this.with({ order } as Partial<S>);
  }
  /**
   * The WHERE clause on a narrow points table: its series among those the filters select (from
   * `metric_series`), and the time range.
   */
  protected pointsWhere(): WhereClause {
    const series = seriesWhere(this.state);
    const points = new WhereClause();
    if (series.clauses.length > 0) {
      points.add(`series_id IN (SELECT series_id FROM metric_series${series.toSql()})`, ...series.params);
    }
    addTimeRange(points, this.state);
    return points;
  }
  /** `ASC` or `DESC`, from the order. */
  protected direction(): 'ASC' | 'DESC' {
    return this.state.order === 'asc' ? 'ASC' : 'DESC';
  }
}
