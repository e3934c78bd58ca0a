import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows } from '../../test/support/count-rows.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { readTable } from '../../test/support/read-table.ts';
import { decodeAttributes } from '../attributes/attributes.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { type CandleInput, CandleRecord } from '../models/candle-record.ts';
import { MetricRecord } from '../models/metric-record.ts';
import { SystemEvent } from '../models/system-event.ts';
import { TradeRecord } from '../models/trade-record.ts';

const T = Date.UTC(2024, 0, 2, 3, 4);
const candle: CandleInput = {
  symbol: 'BTC/USD',
  venue: 'kraken',
  interval: '1m',
  timestamp: T,
  open: 100,
  high: 110,
  low: 90,
  close: 105,
  volume: 3,
};

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
});
afterAll(() => db.close());

describe('insertMetrics', () => {
  it('stores name, value, symbol, labels and the nanosecond time', async () => {
    const record = new MetricRecord('order_latency_ms', 42.5, '2024-01-02T03:04:05.123456789Z')
      .withSymbol('BTC/USD')
      .addLabel('exchange', 'alpaca')
      .addLabel('depth', 3)
      .addLabel('ratio', 0.25)
      .addLabel('live', true);
    await db.insertMetric(record);
    const [row] = await readTable(
      db,
      "SELECT name, value, symbol, time_unix_nano, epoch_us(ts) AS us, attributes, kind FROM trading_metrics WHERE name = 'order_latency_ms'",
    );
    expect(row).toMatchObject({
      name: 'order_latency_ms',
      value: 42.5,
      symbol: 'BTC/USD',
      time_unix_nano: record.timestamp,
      us: record.timestamp / 1000n,
      kind: 1,
    });
    expect(decodeAttributes(row?.attributes as string)).toEqual({
      exchange: 'alpaca',
      depth: 3n,
      ratio: 0.25,
      live: true,
    });
  });

  it('validates plain objects and names the bad row, writing nothing of the call', async () => {
    const error = await errorOf(ValidationError, () =>
      db.insertMetrics([
        { name: 'plain', value: 1, timestamp: T },
        { name: 'plain', value: Number.NaN, timestamp: T },
      ]),
    );
    expect(error.index).toBe(1);
    expect(error.field).toBe('value');
    await db.insertMetrics([{ name: 'plain', value: 1, timestamp: T, labels: { k: 'v' } }]);
    expect(await readTable(db, "SELECT value, attributes FROM trading_metrics WHERE name = 'plain'")).toEqual(
      [{ value: 1, attributes: '{"k":"v"}' }],
    );
  });
});

describe('insertCandles', () => {
  it('replaces a re-sent candle instead of duplicating it', async () => {
    await db.insertCandles([candle]);
    await db.insertCandles([{ ...candle, close: 101, volume: 4 }]);
    await db.insertCandles([new CandleRecord({ ...candle, close: 102, volume: 5 })]);
    expect(
      await readTable(
        db,
        "SELECT close, volume FROM trading_candles WHERE symbol = 'BTC/USD' AND venue = 'kraken'",
      ),
    ).toEqual([{ close: 102, volume: 5 }]);
  });

  it('keeps the last of duplicates within one call and across concurrent calls', async () => {
    const key = { ...candle, symbol: 'ETH/USD' };
    await db.insertCandles([
      { ...key, close: 100 },
      { ...key, close: 101 },
    ]);
    expect(await readTable(db, "SELECT close FROM trading_candles WHERE symbol = 'ETH/USD'")).toEqual([
      { close: 101 },
    ]);
    await Promise.all([103, 104, 105, 106].map((close) => db.insertCandles([{ ...key, close }])));
    expect(await readTable(db, "SELECT close FROM trading_candles WHERE symbol = 'ETH/USD'")).toEqual([
      { close: 106 },
    ]);
  });

  it('keeps candles that differ in venue, interval or time apart', async () => {
    const key = { ...candle, symbol: 'SOL/USD' };
    await db.insertCandles([
      key,
      { ...key, venue: 'coinbase' },
      { ...key, interval: '5m' },
      { ...key, timestamp: T + 60_000 },
    ]);
    expect(
      await readTable(db, "SELECT count(*)::INTEGER AS n FROM trading_candles WHERE symbol = 'SOL/USD'"),
    ).toEqual([{ n: 4 }]);
  });

  it('rejects an invalid candle naming the row and field', async () => {
    const error = await errorOf(ValidationError, () =>
      db.insertCandles([candle, { ...candle, high: 1, low: 2 }]),
    );
    expect([error.index, error.field]).toEqual([1, 'high']);
  });
});

describe('insertTrades', () => {
  it('stores every field', async () => {
    const trade = new TradeRecord({
      timestamp: '2024-01-02T03:04:05.123456Z',
      symbol: 'ETH/USD',
      venue: 'coinbase',
      side: 'sell',
      quantity: 1.5,
      price: 3000.25,
      fee: 0.75,
      orderId: 'o-1',
      tradeId: 't-1',
      strategy: 'mm',
    });
    await db.insertTrades([
      trade,
      { ...trade, timestamp: T, orderId: null, tradeId: undefined, strategy: null },
    ]);
    const rows = await readTable(
      db,
      "SELECT epoch_us(ts) AS us, symbol, venue, side, quantity, price, fee, order_id, trade_id, strategy FROM trading_trades WHERE symbol = 'ETH/USD' ORDER BY ts DESC",
    );
    expect(rows).toEqual([
      {
        us: trade.timestamp / 1000n,
        symbol: 'ETH/USD',
        venue: 'coinbase',
        side: 'sell',
        quantity: 1.5,
        price: 3000.25,
        fee: 0.75,
        order_id: 'o-1',
        trade_id: 't-1',
        strategy: 'mm',
      },
      {
        us: BigInt(T) * 1000n,
        symbol: 'ETH/USD',
        venue: 'coinbase',
        side: 'sell',
        quantity: 1.5,
        price: 3000.25,
        fee: 0.75,
        order_id: null,
        trade_id: null,
        strategy: null,
      },
    ]);
  });
});

describe('insertEvents', () => {
  it('gives increasing ids in insertion order, across calls and concurrent callers', async () => {
    const event = (message: string) =>
      new SystemEvent({ severity: 'info', source: 'ids', message, timestamp: T });
    await db.insertEvents([event('a'), event('b'), event('c')]);
    await Promise.all(['d', 'e', 'f', 'g'].map((m) => db.insertEvents([event(m)])));
    await db.insertEvents([event('h')]);
    const rows = await readTable(
      db,
      "SELECT id, message FROM system_events WHERE source = 'ids' ORDER BY id",
    );
    expect(rows.map((r) => r.message)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    const ids = rows.map((r) => Number(r.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBeGreaterThan(0);
  });

  it('stores severity, level, source, message and typed attributes', async () => {
    await db.insertEvents([
      {
        severity: 'critical',
        source: 'risk',
        message: 'limit hit',
        timestamp: T,
        attributes: { limit: 5, venue: 'x' },
      },
    ]);
    const [row] = await readTable(
      db,
      "SELECT severity, level, source, message, attributes, epoch_ms(ts) AS ms FROM system_events WHERE source = 'risk'",
    );
    expect(row).toMatchObject({
      severity: 'critical',
      level: 4,
      source: 'risk',
      message: 'limit hit',
      ms: BigInt(T),
    });
    expect(decodeAttributes(row?.attributes as string)).toEqual({ limit: 5n, venue: 'x' });
    expect(await countRows(db, 'system_events')).toBe(9);
  });
});
