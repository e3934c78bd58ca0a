import { describe, expect, it } from 'vitest';
import { writtenColumns } from '../catalog/column.ts';
import {
  OTLP_LOG_COLUMNS,
  SYSTEM_EVENTS,
  TRADING_CANDLES,
  TRADING_TRADES,
} from '../catalog/trading-tables.ts';
import { CandleRecord } from './candle-record.ts';
import { SystemEvent } from './system-event.ts';
import { TradeRecord } from './trade-record.ts';

const T = Date.UTC(2024, 0, 2, 3, 4);

// The writers read each column from the model property its catalog column names (`field`): a renamed property
// would leave the column empty, so every written column must be a property of the model (or derived by the writer).
describe('the models hold the fields the catalog names', () => {
  it.each([
    [
      TRADING_CANDLES.name,
      TRADING_CANDLES,
      new CandleRecord({
        symbol: 'S',
        venue: 'v',
        interval: '1m',
        timestamp: T,
        open: 1,
        high: 2,
        low: 1,
        close: 2,
        volume: 3,
      }),
      [] as string[],
    ],
    [
      TRADING_TRADES.name,
      TRADING_TRADES,
      new TradeRecord({
        timestamp: T,
        symbol: 'S',
        venue: 'v',
        side: 'buy',
        quantity: 1,
        price: 2,
        orderId: 'o',
        tradeId: 't',
        strategy: 's',
      }),
      [] as string[],
    ],
    [
      SYSTEM_EVENTS.name,
      SYSTEM_EVENTS,
      new SystemEvent({ timestamp: T, severity: 'info', source: 's', message: 'm' }),
      ['level', ...OTLP_LOG_COLUMNS.map((c) => c.name)],
    ],
  ])('%s', (_name, table, record, derived) => {
    const fields = writtenColumns(table)
      .filter((c) => !derived.includes(c.name))
      .map((c) => c.field);
    expect(fields.filter((f) => !Object.hasOwn(record, f))).toEqual([]);
    expect(Object.keys(record).sort()).toEqual(fields.sort());
  });
});
