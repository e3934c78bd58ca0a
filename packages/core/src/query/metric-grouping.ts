import { labelPointer } from './builder-base.ts';
import type { SqlParam } from './compiled-query.ts';

/** Grouping of an aggregate: none, by symbol, by service, or by the value of one label. */
export type MetricGrouping =
  | { by: 'none' }
  | { by: 'symbol' }
  | { by: 'service' }
  | { by: 'label'; key: string };

/** SQL and parameters of a grouping expression. */
export function groupExpression(grouping: MetricGrouping): { sql: string; params: SqlParam[] } {
  switch (grouping.by) {
    case 'symbol':
      return { sql: 'symbol', params: [] };
    case 'service':
      return { sql: 'service', params: [] };
    case 'label':
      return { sql: 'json_extract_string(attributes, ?)', params: [labelPointer(grouping.key)] };
    default:
      return { sql: 'NULL::VARCHAR', params: [] };
  }
}
