import { ValidationError } from '../errors/errors.ts';
import { SEVERITIES, type Severity, severityLevel } from '../models/system-event.ts';
import { checkText, labelPointer, WhereClause } from '../query/builder-base.ts';
import type { SqlParam } from '../query/compiled-query.ts';
import type { EventRow } from '../query/event-query.ts';
import { seriesWhere } from '../query/metric-filter.ts';
import type { MetricRow } from '../query/metric-select.ts';
import type { TradeRow } from '../query/trade-query.ts';
import { TimeInterval } from '../time/index.ts';

/** Label filters of a metric source: attribute key to text value. */
export type LabelFilter = Readonly<Record<string, string>>;

/**
 * The left side of an as-of join: every row of it is returned once.
 * - `trades`: fills from `trading_trades` (optionally one strategy or side);
 * - `events`: `system_events`, whose symbol and venue are the attributes `symbol` and `venue`;
 * - `metric`: scalar points of one metric (optionally with labels); its venue is the label `venueLabel` (default `venue`).
 */
export type AsofLeft =
  | { kind: 'trades'; strategy?: string; side?: 'buy' | 'sell' }
  | { kind: 'events'; source?: string; minSeverity?: Severity }
  | { kind: 'metric'; name: string; labels?: LabelFilter; venueLabel?: string };

/**
 * The right side of an as-of join: the latest row at or before each left row is attached.
 * - `metric`: one metric series per symbol (name, optional labels, venue from the label `venueLabel`);
 * - `candles`: stored candles of one interval (default `1m`), matched from their end (`ts + interval`, when the
 *   close is known), so that a candle still open at the left time is never used;
 * - `trades`: the latest trade of the symbol (any strategy).
 */
export type AsofRight =
  | { kind: 'metric'; name: string; labels?: LabelFilter; venueLabel?: string }
  | { kind: 'candles'; interval?: string }
  | { kind: 'trades' };

/** Left row of a metric source: a metric row without `kind`. */
export type AsofMetricRow = Omit<MetricRow, 'kind'>;

/** Columns of each left source. */
export interface AsofLeftRows {
  trades: TradeRow;
  events: EventRow & { symbol: string | null };
  metric: AsofMetricRow;
}

/** Right columns of each right source, NULL when nothing matched (or the match was older than the tolerance). */
export interface AsofRightRows {
  metric: { right_ts: Date | null; right_value: number | null };
  candles: {
    /** The candle's start (it was matched from its end). */
    right_ts: Date | null;
    right_open: number | null;
    right_high: number | null;
    right_low: number | null;
    right_close: number | null;
    right_volume: number | null;
  };
  trades: {
    right_ts: Date | null;
    right_price: number | null;
    right_quantity: number | null;
    right_side: 'buy' | 'sell' | null;
  };
}

/** SQL text with its bound parameters, in order. */
export interface Fragment {
  sql: string;
  params: SqlParam[];
}

/** What both sides are matched on besides time: symbol always, venue and attribute labels when asked. */
export interface MatchKeys {
  venue: boolean;
  labels: readonly string[];
}

/** Internal column names of a side's CTE: the match time and the key columns (by position in `keyNames`). */
export interface SideColumns {
  time: string;
  key: (index: number) => string;
}

const LEFT_COLUMNS: Record<AsofLeft['kind'], string> = {
  trades: 'ts, symbol, venue, side, quantity, price, fee, order_id, trade_id, strategy',
  events:
    "id, ts, severity, source, message, attributes, json_extract_string(attributes, '/symbol') AS symbol",
  metric: 'ts, time_unix_nano, name, value, symbol, service, attributes',
};

const RIGHT_COLUMNS: Record<AsofRight['kind'], readonly string[]> = {
  metric: ['right_value'],
  candles: ['right_open', 'right_high', 'right_low', 'right_close', 'right_volume'],
  trades: ['right_price', 'right_quantity', 'right_side'],
};

/** The output column names of a right source (besides `right_ts`). */
export function rightColumns(kind: AsofRight['kind']): readonly string[] {
  return RIGHT_COLUMNS[kind];
}

/** The output columns of a left source, as selected from its CTE. */
export function leftColumns(kind: AsofLeft['kind']): string {
  return kind === 'events' ? 'id, ts, severity, source, message, attributes, symbol' : LEFT_COLUMNS[kind];
}

const TABLES = {
  trades: 'trading_trades',
  events: 'system_events',
  metric: 'trading_metrics',
  candles: 'trading_candles',
};

type Kind = AsofLeft['kind'] | AsofRight['kind'];

/** SQL (and params) of the symbol, venue or label key of a source's rows. */
export function keyExpression(kind: Kind, key: string, venueLabel: string | undefined): Fragment {
  const attribute = (name: string): Fragment => ({
    sql: 'json_extract_string(attributes, ?)',
    params: [labelPointer(name)],
  });
  const hasAttributes = kind === 'events' || kind === 'metric';
  if (key === 'symbol') return kind === 'events' ? attribute('symbol') : { sql: 'symbol', params: [] };
  if (key === 'venue') {
    if (kind === 'metric') return attribute(venueLabel ?? 'venue');
    return kind === 'events' ? attribute('venue') : { sql: 'venue', params: [] };
  }
  if (!hasAttributes) {
    throw new ValidationError(
      'match',
      `a ${kind} source has no labels to match on (only metrics and events do)`,
    );
  }
  return attribute(key.slice('label:'.length));
}

/** The key names of a match, in a fixed order: `symbol`, then `venue`, then `label:<key>` for each label. */
export function keyNames(keys: MatchKeys): string[] {
  return ['symbol', ...(keys.venue ? ['venue'] : []), ...keys.labels.map((l) => `label:${l}`)];
}

/** Builds the WHERE of a source's own filters (strategy, side, event source, severity, metric name and labels). */
function sourceWhere(source: AsofLeft | AsofRight): WhereClause {
  if (source.kind === 'metric') {
    return seriesWhere({ name: source.name, ...(source.labels ? { labels: source.labels } : {}) });
  }
  const where = new WhereClause();
  if (source.kind === 'trades') {
    if ('strategy' in source && source.strategy !== undefined) {
      where.add('strategy = ?', checkText('strategy', source.strategy));
    }
    if ('side' in source && source.side !== undefined)
      where.add('side = ?', source.side === 'sell' ? 'sell' : 'buy');
  }
  if (source.kind === 'events') {
    if (source.source !== undefined) where.add('source = ?', checkText('source', source.source));
    if (source.minSeverity !== undefined) {
      if (!SEVERITIES.includes(source.minSeverity)) {
        throw new ValidationError('severity', `must be one of ${SEVERITIES.join(', ')}`);
      }
      where.add('level >= ?', severityLevel(source.minSeverity));
    }
  }
  return where;
}

/** Filters of one side besides its source's own: key values (symbol, venue) and time bounds. */
export interface SideFilter {
  /** Key name (`symbol`, `venue`) to the value its rows must have. */
  equal: Readonly<Record<string, string | undefined>>;
  /** Adds time bounds on the source's `ts` column. */
  time: (where: WhereClause) => void;
}

/**
 * The CTE body of one side: its output columns, its match time as `columns.time` and its keys as `columns.key(k)`,
 * filtered by the source's own filters and `filter`.
 */
export function sideCte(
  source: AsofLeft | AsofRight,
  role: 'left' | 'right',
  keys: MatchKeys,
  columns: SideColumns,
  filter: SideFilter,
): Fragment {
  const params: SqlParam[] = [];
  const select: string[] = [];
  if (role === 'left') select.push(LEFT_COLUMNS[source.kind as AsofLeft['kind']]);
  else select.push(...rightSelect(source as AsofRight));
  const interval = source.kind === 'candles' ? TimeInterval.parse(source.interval ?? '1m') : undefined;
  if (interval) {
    select.push(`ts + ?::INTERVAL AS ${columns.time}`);
    params.push(interval.sql);
  } else {
    select.push(`ts AS ${columns.time}`);
  }
  const venueLabel = 'venueLabel' in source ? source.venueLabel : undefined;
  for (const [index, name] of keyNames(keys).entries()) {
    const key = keyExpression(source.kind, name, venueLabel);
    select.push(`${key.sql} AS ${columns.key(index)}`);
    params.push(...key.params);
  }
  const where = sourceWhere(source);
  if (interval) where.add('interval = ?', interval.toString());
  for (const [name, value] of Object.entries(filter.equal)) {
    if (value === undefined) continue;
    const key = keyExpression(source.kind, name, venueLabel);
    where.add(`${key.sql} = ?`, ...key.params, checkText(name, value));
  }
  filter.time(where);
  return {
    sql: `SELECT ${select.join(', ')} FROM ${TABLES[source.kind]}${where.toSql()}`,
    params: [...params, ...where.params],
  };
}

function rightSelect(source: AsofRight): string[] {
  switch (source.kind) {
    case 'metric':
      return ['ts AS right_ts', 'value AS right_value'];
    case 'candles':
      return [
        'ts AS right_ts',
        'open AS right_open',
        'high AS right_high',
        'low AS right_low',
        'close AS right_close',
        'volume AS right_volume',
      ];
    default:
      return ['ts AS right_ts', 'price AS right_price', 'quantity AS right_quantity', 'side AS right_side'];
  }
}
