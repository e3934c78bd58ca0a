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

/** System events; ids come from {@link SYSTEM_EVENTS_ID_SEQUENCE}, `level` is the severity's rank. */
export const SYSTEM_EVENTS: Table = table('system_events', [
  column('id', 'BIGINT', { default: `nextval('${SYSTEM_EVENTS_ID_SEQUENCE}')`, generated: true }),
  column('ts', 'TIMESTAMP', { field: 'timestamp' }),
  column('severity', 'VARCHAR'),
  column('level', 'UTINYINT'),
  column('source', 'VARCHAR'),
  column('message', 'VARCHAR'),
  column('attributes', 'VARCHAR', { default: "'{}'", json: true }),
]);
