import { type CompiledQuery, compiled } from './compiled-query.ts';
import { type MetricFilter, metricWhere } from './metric-filter.ts';
import { RangedBuilder } from './ranged-builder.ts';

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

interface State extends MetricFilter {
  order: 'asc' | 'desc';
  limit: number;
}

/**
 * Selects scalar metric points by name, symbol, labels and time range.
 * @example db.query(selectMetrics().name('order_latency_ms').symbol('BTC/USD').label('exchange', 'alpaca').limit(100).compile())
 */
export class MetricSelectBuilder extends RangedBuilder<State> {
  /** Only points of this metric. */
  name(name: string): this {
    return this.with({ name });
  }
  /** Only points of this symbol. */
  symbol(symbol: string): this {
    return this.with({ symbol });
  }
  /** Only points of this service (`service.name`). */
  service(service: string): this {
    return this.with({ service });
  }
  /** Only points whose attribute `key` equals `value` (as text). */
  label(key: string, value: string): this {
    return this.with({ labels: { ...this.state.labels, [key]: value } });
  }
  /** Order by time. */
  order(order: 'asc' | 'desc'): this {
    return this.with({ order });
  }
  /** Compiles to frozen SQL and parameters. */
  compile(): CompiledQuery<MetricRow> {
    const where = metricWhere(this.state);
    const direction = this.state.order === 'asc' ? 'ASC' : 'DESC';
    return compiled(
      `SELECT ts, time_unix_nano, name, value, symbol, service, attributes, kind FROM trading_metrics${where.toSql()} ORDER BY ts ${direction} LIMIT ?`,
      [...where.params, this.state.limit],
    );
  }
}

/** Starts a metric selection (newest first, 1000 rows by default). */
export function selectMetrics(): MetricSelectBuilder {
  return new MetricSelectBuilder({ order: 'desc', limit: 1000 });
}
