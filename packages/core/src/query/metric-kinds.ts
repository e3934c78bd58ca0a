import { type MetricView, POINTS_TABLES } from '../catalog/metric-tables.ts';
import { checkText } from './builder-base.ts';
import { type CompiledQuery, compiled } from './compiled-query.ts';

/** The kind of metric each metric view holds, as the API names it (`scalar`: gauges and sums). */
export const VIEW_KINDS = Object.freeze({
  trading_metrics: 'scalar',
  otel_histograms: 'histogram',
  otel_exp_histograms: 'exponentialHistogram',
  otel_summaries: 'summary',
} as const satisfies Record<MetricView, string>);

/** One of the four metric kinds: `scalar`, `histogram`, `exponentialHistogram`, `summary`. */
export type MetricViewKind = (typeof VIEW_KINDS)[MetricView];

/** The metric views with their kinds, in schema order. */
export const KIND_VIEWS = Object.entries(VIEW_KINDS) as [MetricView, MetricViewKind][];

/**
 * The kinds under which metric `name` has points (usually one; a name reused across kinds lists each), in schema
 * order. Each points table is probed for one point of the name's series (`LIMIT 1`, so a kind that has them
 * answers at its first match).
 * @example await db.all(metricKindsOf('order_latency_ms')) // [{ kind: 'exponentialHistogram' }]
 */
export function metricKindsOf(name: string): CompiledQuery<{ kind: MetricViewKind }> {
  checkText('name', name);
  const probes = KIND_VIEWS.map(
    ([view, kind]) => `SELECT '${kind}' AS kind FROM (SELECT 1 FROM ${POINTS_TABLES[view]}
  WHERE series_id IN (SELECT series_id FROM metric_series WHERE name = ?) LIMIT 1)`,
  );
  return compiled(
    probes.join('\nUNION ALL\n'),
    KIND_VIEWS.map(() => name),
  );
}
