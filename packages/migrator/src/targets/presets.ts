import type { TargetName } from './target-tables.ts';

/** Names of the mapping presets (common layouts of trading data in TimescaleDB/PostgreSQL and files). */
export type PresetName = 'metrics' | 'candles' | 'trades' | 'events';

/** A candidate source for a field: a column name, or a key inside a JSON column (`labels.symbol`). */
export type Candidate = string | { column: string; key: string };

/** A preset: the target table and, per field, the source columns tried in order. */
export interface Preset {
  readonly name: PresetName;
  readonly target: TargetName;
  readonly candidates: Readonly<Record<string, readonly Candidate[]>>;
}

const TIME = ['time', 'ts', 'timestamp', 'bucket', 'created_at'];

/** The presets; every field name is also tried as a column name of its own. */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  metrics: {
    name: 'metrics',
    target: 'trading_metrics',
    candidates: {
      ts: TIME,
      name: ['name', 'metric', 'metric_name'],
      value: ['value', 'val'],
      symbol: ['symbol', { column: 'labels', key: 'symbol' }, { column: 'attributes', key: 'symbol' }],
      attributes: ['labels', 'attributes', 'tags'],
      unit: ['unit'],
      description: ['description'],
      service: ['service', 'service_name'],
    },
  },
  candles: {
    name: 'candles',
    target: 'trading_candles',
    candidates: {
      ts: TIME,
      symbol: ['symbol', 'instrument', 'ticker'],
      venue: ['venue', 'exchange'],
      interval: ['interval', 'timeframe', 'resolution'],
      open: ['open'],
      high: ['high'],
      low: ['low'],
      close: ['close'],
      volume: ['volume'],
    },
  },
  trades: {
    name: 'trades',
    target: 'trading_trades',
    candidates: {
      ts: TIME,
      symbol: ['symbol', 'instrument', 'ticker'],
      venue: ['venue', 'exchange'],
      side: ['side'],
      quantity: ['quantity', 'qty', 'size', 'amount'],
      price: ['price'],
      fee: ['fee', 'fees', 'commission'],
      order_id: ['order_id'],
      trade_id: ['trade_id', 'id'],
      strategy: ['strategy'],
    },
  },
  events: {
    name: 'events',
    target: 'system_events',
    candidates: {
      ts: TIME,
      severity: ['severity', 'level'],
      source: ['source', 'component'],
      message: ['message', 'msg'],
      attributes: ['attributes', 'labels', 'details'],
    },
  },
};

/**
 * The preset of a name or of a target table name.
 * @example presetFor('candles').target // 'trading_candles'
 */
export function presetFor(nameOrTable: string): Preset | undefined {
  if (Object.hasOwn(PRESETS, nameOrTable)) return PRESETS[nameOrTable as PresetName];
  return Object.values(PRESETS).find((p) => p.target === nameOrTable);
}
