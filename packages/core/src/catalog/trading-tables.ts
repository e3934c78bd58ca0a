import { column, type Table, table } from './column.ts';

/** Stored OHLCV candles; the key makes a re-sent candle replace the stored one. */
export const TRADING_CANDLES: Table = table(
  'trading_candles',
  [
    column('symbol', 'VARCHAR'),
    column('venue', 'VARCHAR'),
    column('interval', 'VARCHAR'),
    column('ts', 'TIMESTAMP', { field: 'timestamp' }),
    column('open', 'DOUBLE'),
    column('high', 'DOUBLE'),
    column('low', 'DOUBLE'),
    column('close', 'DOUBLE'),
    column('volume', 'DOUBLE'),
  ],
  ['symbol', 'venue', 'interval', 'ts'],
);

/** Fills. */
export const TRADING_TRADES: Table = table('trading_trades', [
  column('ts', 'TIMESTAMP', { field: 'timestamp' }),
  column('symbol', 'VARCHAR'),
  column('venue', 'VARCHAR'),
  column('side', 'VARCHAR'),
  column('quantity', 'DOUBLE'),
  column('price', 'DOUBLE'),
  column('fee', 'DOUBLE', { default: '0' }),
  column('order_id', 'VARCHAR', { nullable: true }),
  column('trade_id', 'VARCHAR', { nullable: true }),
  column('strategy', 'VARCHAR', { nullable: true }),
]);

/** Name of the sequence `system_events.id` is drawn from. */
export const SYSTEM_EVENTS_ID_SEQUENCE = 'system_events_id_seq';

/** The columns of `system_events` that only OTLP log records fill (version 5), in table order. */
export const OTLP_LOG_COLUMNS = Object.freeze([
  column('time_unix_nano', 'BIGINT', { nullable: true, kind: 'nanos' }),
  column('observed_time_unix_nano', 'BIGINT', { nullable: true, kind: 'nanos' }),
  column('severity_number', 'INTEGER', { nullable: true }),
  column('severity_text', 'VARCHAR', { nullable: true }),
  column('body', 'VARCHAR', { nullable: true }),
  column('resource', 'VARCHAR', { nullable: true, json: true }),
  column('scope', 'VARCHAR', { nullable: true, json: true }),
  column('trace_id', 'VARCHAR', { nullable: true }),
  column('span_id', 'VARCHAR', { nullable: true }),
  column('flags', 'UINTEGER', { nullable: true }),
  column('event_name', 'VARCHAR', { nullable: true }),
  column('dropped_attributes_count', 'UINTEGER', { nullable: true }),
]);

/**
 * System events; ids come from {@link SYSTEM_EVENTS_ID_SEQUENCE}, `level` is the severity's rank. The columns
 * after `attributes` (version 5) hold OTLP log records losslessly and are NULL for events posted as JSON: exact
 * times, the OTLP severity, the body as typed JSON, resource and scope, ids as lowercase hex, flags, event name.
 */
export const SYSTEM_EVENTS: Table = table('system_events', [
  column('id', 'BIGINT', { default: `nextval('${SYSTEM_EVENTS_ID_SEQUENCE}')`, generated: true }),
  column('ts', 'TIMESTAMP', { field: 'timestamp' }),
  column('severity', 'VARCHAR'),
  column('level', 'UTINYINT'),
  column('source', 'VARCHAR'),
  column('message', 'VARCHAR'),
  column('attributes', 'VARCHAR', { default: "'{}'", json: true }),
  ...OTLP_LOG_COLUMNS,
]);
