import type { TimeRange } from '../time/index.ts';
import { labelPointer, WhereClause } from './builder-base.ts';
import { addTimeRange } from './time-range-clause.ts';

/** Filters shared by the metric queries, checked by their setters; the range is in unix nanoseconds. */
export interface MetricFilter extends TimeRange {
  name?: string;
  symbol?: string;
  service?: string;
  labels?: Readonly<Record<string, string>>;
}

/** Builds the WHERE clause of a metric filter; every value is bound. */
export function metricWhere(filter: MetricFilter): WhereClause {
  const where = seriesWhere(filter);
  addTimeRange(where, filter);
  return where;
}

/** The part of a metric filter that selects series (name, symbol, service, labels): columns of `metric_series`. */
export function seriesWhere(filter: MetricFilter): WhereClause {
  const where = new WhereClause();
  if (filter.name !== undefined) where.add('name = ?', filter.name);
  if (filter.symbol !== undefined) where.add('symbol = ?', filter.symbol);
  if (filter.service !== undefined) where.add('service = ?', filter.service);
  for (const [key, value] of Object.entries(filter.labels ?? {})) {
    where.add('json_extract_string(attributes, ?) = ?', labelPointer(key), value);
  }
  return where;
}
