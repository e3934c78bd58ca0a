import {
  encodeAttributes,
  encodeResource,
  encodeScope,
  MetricKind,
  Temporality,
} from '@duckside/core/ingest';

/** How a metric's values move. */
export type ValueModel =
  | 'price'
  | 'spread'
  | 'depth'
  | 'age'
  | 'latency'
  | 'fill'
  | 'counter'
  | 'rejects'
  | 'position'
  | 'pnl';

/** One metric a trading service emits. */
export interface MetricDef {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  /** Index into {@link SERVICES}. */
  readonly service: number;
  /** Share of all points (weights sum to 1). */
  readonly weight: number;
  /** Which labels its points carry. */
  readonly labels: 'market' | 'order' | 'risk';
  readonly model: ValueModel;
  readonly kind: (typeof MetricKind)[keyof typeof MetricKind];
}

/** Services of the synthetic trading stack (the resource `service.name`). */
export const SERVICES = ['market-data', 'order-gateway', 'risk-engine'] as const;

/** The metrics, with realistic names, units and shares of the point stream. */
export const METRICS: readonly MetricDef[] = [
  m('mid_price', 'USD', 'Mid price of the top of book', 0, 0.3, 'market', 'price'),
  m('spread_bps', 'bp', 'Bid-ask spread', 0, 0.12, 'market', 'spread'),
  m('order_book_depth_usd', 'USD', 'Resting size within 10 bp of mid', 0, 0.06, 'market', 'depth'),
  m('quote_age_ms', 'ms', 'Age of the freshest quote', 0, 0.06, 'market', 'age'),
  m('order_latency_ms', 'ms', 'Order submit to exchange ack', 1, 0.15, 'order', 'latency'),
  m('fill_latency_ms', 'ms', 'Order submit to first fill', 1, 0.08, 'order', 'fill'),
  m('orders_submitted_total', '{order}', 'Orders submitted', 1, 0.05, 'order', 'counter'),
  m('order_rejects_total', '{order}', 'Orders rejected by the venue', 1, 0.02, 'order', 'rejects'),
  m('position_qty', '{unit}', 'Net position', 2, 0.08, 'risk', 'position'),
  m('pnl_usd', 'USD', 'Mark-to-market P&L', 2, 0.08, 'risk', 'pnl'),
];

function m(
  name: string,
  unit: string,
  description: string,
  service: number,
  weight: number,
  labels: MetricDef['labels'],
  model: ValueModel,
): MetricDef {
  const kind = model === 'counter' || model === 'rejects' ? MetricKind.Sum : MetricKind.Gauge;
  return { name, unit, description, service, weight, labels, model, kind };
}

/** Traded symbols with a starting price; the first ones trade most (Zipf-like weights). */
export const SYMBOLS: readonly { symbol: string; price: number; equity: boolean }[] = [
  ['BTC/USD', 62_000],
  ['ETH/USD', 3_400],
  ['SOL/USD', 145],
  ['AAPL', 190],
  ['NVDA', 880],
  ['XRP/USD', 0.52],
  ['SPY', 520],
  ['DOGE/USD', 0.12],
  ['MSFT', 415],
  ['AVAX/USD', 35],
  ['TSLA', 175],
  ['LINK/USD', 14],
  ['ADA/USD', 0.45],
  ['QQQ', 440],
  ['DOT/USD', 7],
  ['LTC/USD', 82],
  ['BCH/USD', 450],
  ['UNI/USD', 9],
  ['ATOM/USD', 8.5],
  ['XLM/USD', 0.11],
].map(([symbol, price]) => ({
  symbol: symbol as string,
  price: price as number,
  equity: !(symbol as string).includes('/'),
}));

/** Venues; equities trade on `alpaca` only. */
export const EXCHANGES = ['alpaca', 'binance', 'coinbase', 'kraken'] as const;
/** Strategies placing orders. */
export const STRATEGIES = ['market-making', 'stat-arb', 'momentum'] as const;
/** Order types. */
export const ORDER_TYPES = ['limit', 'market'] as const;

/** Number of label combinations per label group. */
export const LABEL_COMBOS = EXCHANGES.length * STRATEGIES.length * ORDER_TYPES.length;

const GROUPS: readonly MetricDef['labels'][] = ['market', 'order', 'risk'];

/**
 * Point attribute JSON of every label combination, indexed `(group * LABEL_COMBOS + combo) * SYMBOLS.length +
 * symbol`, built with core's encoder so the text is exactly what Duckside stores. Every point carries its
 * `symbol` (as OTLP points do; Duckside also promotes it to a column); market data adds the exchange, orders the
 * exchange, strategy and order type, risk the strategy.
 */
export const ATTRIBUTE_TEXTS: readonly string[] = GROUPS.flatMap((group) =>
  Array.from({ length: LABEL_COMBOS }, (_, combo) => {
    const exchange = EXCHANGES[combo % EXCHANGES.length] as string;
    const strategy = STRATEGIES[Math.floor(combo / EXCHANGES.length) % STRATEGIES.length] as string;
    const orderType = ORDER_TYPES[Math.floor(combo / (EXCHANGES.length * STRATEGIES.length))] as string;
    return SYMBOLS.map(({ symbol }) => {
      if (group === 'market') return encodeAttributes({ symbol, exchange });
      if (group === 'order') return encodeAttributes({ symbol, exchange, strategy, order_type: orderType });
      return encodeAttributes({ symbol, strategy });
    });
  }).flat(),
);

/** Index of a metric's label group in {@link ATTRIBUTE_TEXTS}. */
export function labelGroupIndex(def: MetricDef): number {
  return GROUPS.indexOf(def.labels);
}

/** Resource JSON per service (as the OTel SDK of each service would report it). */
export const RESOURCE_TEXTS: readonly string[] = SERVICES.map((service, i) =>
  encodeResource({
    attributes: {
      'service.name': service,
      'service.version': '2.14.0',
      'deployment.environment': 'prod',
      'host.name': `trade-${String(i + 1).padStart(2, '0')}.ny4`,
    },
    droppedAttributesCount: 0,
    schemaUrl: '',
  }),
);

/** Scope JSON shared by every point. */
export const SCOPE_TEXT = encodeScope({
  name: 'trading-telemetry',
  version: '1.3.0',
  attributes: {},
  droppedAttributesCount: 0,
  schemaUrl: '',
});

/** Temporality code of a metric (counters are cumulative sums). */
export function temporalityOf(def: MetricDef): number {
  return def.kind === MetricKind.Sum ? Temporality.Cumulative : Temporality.Unspecified;
}

/** The columns of a stored row that come from its metric, resolved once per metric. */
export interface MetricSeries {
  name: string;
  unit: string;
  description: string;
  service: string;
  resource: string;
  scope: string;
  kind: MetricDef['kind'];
  temporality: number;
  /** Cumulative monotonic sum (start time set, `is_monotonic` true). */
  counter: boolean;
}

/** {@link MetricSeries} of each metric, in `METRICS` order. */
export const METRIC_SERIES: readonly MetricSeries[] = METRICS.map((def) => ({
  name: def.name,
  unit: def.unit,
  description: def.description,
  service: SERVICES[def.service] as string,
  resource: RESOURCE_TEXTS[def.service] as string,
  scope: SCOPE_TEXT,
  kind: def.kind,
  temporality: temporalityOf(def),
  counter: def.kind === MetricKind.Sum,
}));
