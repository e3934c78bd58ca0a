import type { TimestampInput } from '../time.ts';
import { checkText, labelPointer, WhereClause } from './builder-base.ts';
import { addTimeRange } from './time-range.ts';

/** Filters shared by the metric queries. */
export interface MetricFilter {
  name?: string;
  symbol?: string;
  service?: string;
  labels?: Readonly<Record<string, string>>;
  from?: TimestampInput;
  to?: TimestampInput;
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
  if (filter.name !== undefined) where.add('name = ?', checkText('name', filter.name));
  if (filter.symbol !== undefined) where.add('symbol = ?', checkText('symbol', filter.symbol));
  if (filter.service !== undefined) where.add('service = ?', checkText('service', filter.service));
  for (const [key, value] of Object.entries(filter.labels ?? {})) {
    where.add(
      'json_extract_string(attributes, ?) = ?',
      labelPointer(key),
      checkText(`label.${key}`, value, 4096),
    );
  }
  return where;
}
