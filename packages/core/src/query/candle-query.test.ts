import { mulberry32 } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketStart } from '../../test/support/bucket-start.ts';
import { expectImmutable } from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { groupBy } from '../../test/support/group-by.ts';
import { type TestPoint, writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import type { CandleInput } from '../models/candle-record.ts';
import type { TradeInput } from '../models/trade-record.ts';
import { candles } from './candle-query.ts';
import type { CandleRow } from './candle-state.ts';

const T0 = Date.UTC(2024, 0, 2, 12, 0);
const rand = mulberry32(3);

function storedCandle(symbol: string, venue: string, interval: string, minute: number): CandleInput {
  const open = 100 + Math.round(rand() * 1000) / 10;
  const close = 100 + Math.round(rand() * 1000) / 10;
  return {
    symbol,
    venue,
    interval,
    timestamp: T0 + minute * 60_000,
    open,
    close,
    high: Math.max(open, close) + 1,
    low: Math.min(open, close) - 1,
    volume: Math.round(rand() * 500) / 10,
  };
}

const stored: CandleInput[] = [];
for (let minute = 0; minute < 10; minute++) {
  stored.push(storedCandle('BTC/USD', 'kraken', '1m', minute));
  stored.push(storedCandle('BTC/USD', 'coinbase', '1m', minute));
  stored.push(storedCandle('ETH/USD', 'kraken', '1m', minute));
}
stored.push(storedCandle('BTC/USD', 'kraken', '5m', 0), storedCandle('BTC/USD', 'kraken', '5m', 5));

/** 400 trades over 10 minutes at distinct times, two symbols, two venues. */
const trades = Array.from({ length: 400 }, (_, i) => ({
  timestamp: T0 + i * 1500 + (i % 7),
  symbol: i % 3 === 0 ? 'ETH/USD' : 'BTC/USD',
  venue: i % 2 === 0 ? 'kraken' : 'coinbase',
  side: i % 2 === 0 ? 'buy' : 'sell',
  quantity: Math.round(rand() * 100) / 10 + 0.1,
  price: 1000 + Math.round(rand() * 10_000) / 100,
})) satisfies TradeInput[];

const prices: TestPoint[] = Array.from({ length: 120 }, (_, i) => ({
  name: 'mid_price',
  time: BigInt(T0 + i * 5000 + 17) * 1_000_000n,
  value: 50 + Math.round(rand() * 1000) / 100,
  symbol: 'BTC/USD',
}));

const row = (c: CandleInput): CandleRow => ({
  ts: new Date(c.timestamp as number),
  symbol: c.symbol,
  venue: c.venue,
  open: c.open,
  high: c.high,
  low: c.low,
  close: c.close,
  volume: c.volume,
  vwap: null,
  trades: null,
});
const byTimeSymbolVenue = (a: CandleRow, b: CandleRow) =>
  a.ts.getTime() - b.ts.getTime() ||
  a.symbol.localeCompare(b.symbol) ||
  String(a.venue).localeCompare(String(b.venue));

/** OHLCV, VWAP and count of trades per bucket and symbol (and venue when given), in time order. */
function candlesFromTrades(list: typeof trades, widthMs: number, venue: string | null): CandleRow[] {
  const sorted = [...list].sort((a, b) => a.timestamp - b.timestamp);
  const groups = groupBy(sorted, (t) => `${bucketStart(t.timestamp, widthMs)}|${t.symbol}`);
  return [...groups.values()]
    .map((g) => {
      const first = g[0] as (typeof trades)[number];
      const volume = g.reduce((a, t) => a + t.quantity, 0);
      return {
        ts: new Date(bucketStart(first.timestamp, widthMs)),
        symbol: first.symbol,
        venue,
        open: first.price,
        high: Math.max(...g.map((t) => t.price)),
        low: Math.min(...g.map((t) => t.price)),
        close: (g[g.length - 1] as (typeof trades)[number]).price,
        volume,
        vwap: g.reduce((a, t) => a + t.price * t.quantity, 0) / volume,
        trades: g.length,
      };
    })
    .sort(byTimeSymbolVenue);
}

function expectCandles(rows: CandleRow[], expected: CandleRow[]) {
  expect(
    rows.map((r) => [r.ts.getTime(), r.symbol, r.venue, r.open, r.high, r.low, r.close, r.trades]),
  ).toEqual(
    expected.map((r) => [r.ts.getTime(), r.symbol, r.venue, r.open, r.high, r.low, r.close, r.trades]),
  );
  rows.forEach((r, i) => {
    expect(r.volume).toBeCloseTo(expected[i]?.volume as number, 9);
    if (expected[i]?.vwap === null) expect(r.vwap).toBeNull();
    else expect(r.vwap).toBeCloseTo(expected[i]?.vwap as number, 9);
  });
}

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.insertCandles(stored);
  await db.insertTrades(trades);
  await writePoints(db, prices);
});
afterAll(() => db.close());

describe('candles', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectImmutable(candles('BTC/USD'), [
      (b) => b.venue('kraken'),
      (b) => b.interval('5m'),
      (b) => b.fromTrades(),
      (b) => b.fromMetric('mid_price'),
      (b) => b.between(T0, T0 + 60_000),
      (b) => b.limit(2),
    ]);
    expectImmutable(candles('BTC/USD').fromTrades(), [(b) => b.fromStored()]);
  });

  it('reads stored candles of one symbol and interval, all venues', async () => {
    const { rows } = await db.execute(candles('BTC/USD'));
    expect(rows).toEqual(
      stored
        .filter((c) => c.symbol === 'BTC/USD' && c.interval === '1m')
        .map(row)
        .sort(byTimeSymbolVenue),
    );
  });

  it('reads stored candles by venue, interval, time range, and of every symbol', async () => {
    const venue = await db.execute(
      candles('BTC/USD')
        .venue('coinbase')
        .between(T0 + 120_000, T0 + 300_000),
    );
    expect(venue.rows).toEqual(
      stored
        .filter(
          (c) =>
            c.symbol === 'BTC/USD' &&
            c.venue === 'coinbase' &&
            c.interval === '1m' &&
            (c.timestamp as number) >= T0 + 120_000 &&
            (c.timestamp as number) < T0 + 300_000,
        )
        .map(row),
    );
    const fiveMinutes = await db.execute(candles('BTC/USD').interval('5m'));
    expect(fiveMinutes.rows).toEqual(stored.filter((c) => c.interval === '5m').map(row));
    const all = await db.execute(candles().limit(1000));
    expect(all.rows).toEqual(
      stored
        .filter((c) => c.interval === '1m')
        .map(row)
        .sort(byTimeSymbolVenue),
    );
  });

  it('builds candles from trades with VWAP and trade count', async () => {
    const { rows } = await db.execute(candles('BTC/USD').fromTrades().interval('1m'));
    const expected = candlesFromTrades(
      trades.filter((t) => t.symbol === 'BTC/USD'),
      60_000,
      null,
    );
    expect(expected.length).toBe(10);
    expectCandles(rows, expected);
  });

  it('builds candles from trades of one venue, of every symbol, over 5 minutes', async () => {
    const venue = await db.execute(candles('ETH/USD').fromTrades().venue('kraken').interval('5m'));
    expectCandles(
      venue.rows,
      candlesFromTrades(
        trades.filter((t) => t.symbol === 'ETH/USD' && t.venue === 'kraken'),
        300_000,
        'kraken',
      ),
    );
    const all = await db.execute(
      candles()
        .fromTrades()
        .interval('1m')
        .between(T0 + 60_000, T0 + 240_000),
    );
    expectCandles(
      all.rows,
      candlesFromTrades(
        trades.filter((t) => t.timestamp >= T0 + 60_000 && t.timestamp < T0 + 240_000),
        60_000,
        null,
      ),
    );
  });

  it('builds candles from a price metric, volume being the sample count', async () => {
    const { rows } = await db.execute(candles('BTC/USD').fromMetric('mid_price').interval('1m'));
    const minutes = groupBy(prices, (p) => String(bucketStart(Number(p.time / 1_000_000n), 60_000)));
    expect(rows).toEqual(
      [...minutes].map(([bucket, points]) => ({
        ts: new Date(Number(bucket)),
        symbol: 'BTC/USD',
        venue: null,
        open: points[0]?.value,
        high: Math.max(...points.map((p) => p.value)),
        low: Math.min(...points.map((p) => p.value)),
        close: points[points.length - 1]?.value,
        volume: points.length,
        vwap: null,
        trades: points.length,
      })),
    );
  });

  it('limits candles and refuses too many buckets', async () => {
    expect((await db.execute(candles('BTC/USD').fromTrades().limit(3))).rows).toHaveLength(3);
    const tooMany = candles('BTC/USD')
      .fromTrades()
      .interval('1s')
      .between(T0, T0 + 86_400_000)
      .maxBuckets(10);
    expect((await errorOf(ValidationError, () => tooMany.compile())).field).toBe('interval');
  });

  it.each([
    ['an empty symbol', () => candles(''), 'symbol'],
    ['a venue with NUL', () => candles('A').venue('\u0000'), 'venue'],
    ['an empty metric name', () => candles('A').fromMetric(''), 'name'],
    ['a bad interval', () => candles('A').interval('7x'), 'interval'],
  ])('rejects %s naming the field', async (_what, build, field) => {
    expect((await errorOf(ValidationError, build)).field).toBe(field);
  });
});
