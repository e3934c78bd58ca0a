import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectImmutable } from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import type { TradeInput } from '../models/trade-record.ts';
import { selectTrades, type TradeRow } from './trade-query.ts';

const T0 = Date.UTC(2024, 0, 2, 12, 0);
const trades: TradeInput[] = Array.from({ length: 60 }, (_, i) => ({
  timestamp: T0 + i * 1000,
  symbol: ['BTC/USD', 'ETH/USD', 'SOL/USD'][i % 3] as string,
  venue: i % 2 === 0 ? 'kraken' : 'coinbase',
  side: i % 4 < 2 ? 'buy' : 'sell',
  quantity: 1 + i / 10,
  price: 100 + i,
  fee: i / 100,
  orderId: `o-${i}`,
  tradeId: i % 5 === 0 ? null : `t-${i}`,
  strategy: i % 6 === 0 ? null : i % 2 === 0 ? 'mm' : 'arb',
}));

const row = (t: TradeInput): TradeRow => ({
  ts: new Date(t.timestamp as number),
  symbol: t.symbol,
  venue: t.venue,
  side: t.side,
  quantity: t.quantity,
  price: t.price,
  fee: t.fee ?? 0,
  order_id: t.orderId ?? null,
  trade_id: t.tradeId ?? null,
  strategy: t.strategy ?? null,
});
const newestFirst = (list: TradeInput[]) => [...list].reverse().map(row);

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.insertTrades(trades);
});
afterAll(() => db.close());

describe('selectTrades', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectImmutable(selectTrades(), [
      (b) => b.symbol('BTC/USD'),
      (b) => b.venue('kraken'),
      (b) => b.strategy('mm'),
      (b) => b.side('sell'),
      (b) => b.between(T0, T0 + 1000),
      (b) => b.limit(3),
    ]);
  });

  it('returns every trade, newest first', async () => {
    expect((await db.execute(selectTrades())).rows).toEqual(newestFirst(trades));
  });

  it('filters by symbol, venue, strategy and side', async () => {
    const { rows } = await db.execute(
      selectTrades().symbol('ETH/USD').venue('kraken').strategy('mm').side('buy'),
    );
    const expected = trades.filter(
      (t) => t.symbol === 'ETH/USD' && t.venue === 'kraken' && t.strategy === 'mm' && t.side === 'buy',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(rows).toEqual(newestFirst(expected));
    const sells = await db.execute(selectTrades().side('sell'));
    expect(sells.rows).toEqual(newestFirst(trades.filter((t) => t.side === 'sell')));
  });

  it('filters by time range and limits', async () => {
    const { rows } = await db.execute(
      selectTrades()
        .between(T0 + 10_000, T0 + 20_000)
        .limit(4),
    );
    expect(rows).toEqual(newestFirst(trades.slice(10, 20)).slice(0, 4));
  });

  it.each([
    ['an empty symbol', () => selectTrades().symbol(''), 'symbol'],
    ['a long venue', () => selectTrades().venue('v'.repeat(1025)), 'venue'],
    ['a strategy with NUL', () => selectTrades().strategy('a\u0000'), 'strategy'],
    ['a negative limit', () => selectTrades().limit(-1), 'limit'],
    ['an unknown side', () => selectTrades().side('short' as 'buy'), 'side'],
    ['a date after the end', () => selectTrades().between('2024-01-02', '2024-01-01T23:59Z'), 'from'],
  ])('rejects %s naming the field', async (_what, build, field) => {
    expect((await errorOf(ValidationError, build)).field).toBe(field);
  });
});
