import { mulberry32 } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectImmutable } from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { groupBy } from '../../test/support/group-by.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import type { PerformanceSummary } from '../models/result-types.ts';
import { performanceSummary } from './performance-query.ts';

const T0 = Date.UTC(2024, 0, 2, 12, 0);
const rand = mulberry32(9);

interface SeedTrade {
  timestamp: number;
  symbol: string;
  venue: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  fee: number;
  strategy: string | null;
}

const STRATEGIES = ['mm', 'arb', null] as const;
const trades: SeedTrade[] = Array.from({ length: 240 }, (_, i) => ({
  timestamp: T0 + i * 1000,
  symbol: i % 2 === 0 ? 'BTC/USD' : 'ETH/USD',
  venue: 'kraken',
  side: rand() < 0.5 ? 'buy' : 'sell',
  quantity: Math.round(rand() * 50) / 10 + 0.1,
  price: 100 + Math.round(rand() * 2000) / 100,
  fee: Math.round(rand() * 100) / 1000,
  strategy: STRATEGIES[i % 3] ?? null,
}));
// A strategy that only bought: nothing realized but fees, no win rate.
trades.push(
  {
    timestamp: T0,
    symbol: 'BTC/USD',
    venue: 'kraken',
    side: 'buy',
    quantity: 1,
    price: 100,
    fee: 0.5,
    strategy: 'hodl',
  },
  {
    timestamp: T0 + 1,
    symbol: 'BTC/USD',
    venue: 'kraken',
    side: 'buy',
    quantity: 1,
    price: 110,
    fee: 0.25,
    strategy: 'hodl',
  },
);

/** Independent computation of the documented figures for one group of trades. */
function summarize(strategy: string | null, symbol: string | null, list: SeedTrade[]): PerformanceSummary {
  const buys = list.filter((t) => t.side === 'buy');
  const sells = list.filter((t) => t.side === 'sell');
  const qty = (l: SeedTrade[]) => l.reduce((a, t) => a + t.quantity, 0);
  const notional = (l: SeedTrade[]) => l.reduce((a, t) => a + t.quantity * t.price, 0);
  const avgBuy = buys.length > 0 ? notional(buys) / qty(buys) : null;
  const avgSell = sells.length > 0 ? notional(sells) / qty(sells) : null;
  const fees = list.reduce((a, t) => a + t.fee, 0);
  const matched = Math.min(qty(buys), qty(sells));
  const times = list.map((t) => t.timestamp);
  return {
    strategy,
    symbol,
    trades: list.length,
    buyQuantity: qty(buys),
    sellQuantity: qty(sells),
    volume: qty(list),
    notional: notional(list),
    fees,
    realizedPnl: (avgBuy !== null && avgSell !== null ? matched * (avgSell - avgBuy) : 0) - fees,
    winRate:
      sells.length > 0 && avgBuy !== null
        ? sells.filter((t) => t.price > avgBuy).length / sells.length
        : null,
    firstTrade: new Date(Math.min(...times)),
    lastTrade: new Date(Math.max(...times)),
  };
}

function expected(list: SeedTrade[], byStrategy: boolean, bySymbol: boolean): PerformanceSummary[] {
  const key = (t: SeedTrade) => JSON.stringify([byStrategy ? t.strategy : null, bySymbol ? t.symbol : null]);
  const nullsLast = (a: string | null, b: string | null) =>
    a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
  return [...groupBy(list, key)]
    .map(([k, group]) => {
      const [strategy, symbol] = JSON.parse(k) as [string | null, string | null];
      return summarize(strategy, symbol, group);
    })
    .sort((a, b) => nullsLast(a.strategy, b.strategy) || nullsLast(a.symbol, b.symbol));
}

function expectSummaries(rows: PerformanceSummary[], want: PerformanceSummary[]) {
  expect(rows.map((r) => [r.strategy, r.symbol, r.trades, r.firstTrade, r.lastTrade])).toEqual(
    want.map((r) => [r.strategy, r.symbol, r.trades, r.firstTrade, r.lastTrade]),
  );
  rows.forEach((row, i) => {
    const w = want[i] as PerformanceSummary;
    for (const field of [
      'buyQuantity',
      'sellQuantity',
      'volume',
      'notional',
      'fees',
      'realizedPnl',
    ] as const) {
      expect(row[field], field).toBeCloseTo(w[field], 6);
    }
    if (w.winRate === null) expect(row.winRate).toBeNull();
    else expect(row.winRate).toBeCloseTo(w.winRate, 9);
  });
}

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.insertTrades(trades);
});
afterAll(() => db.close());

describe('performanceSummary', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectImmutable(performanceSummary(), [
      (b) => b.groupBy({ symbol: true }),
      (b) => b.strategy('mm'),
      (b) => b.symbol('BTC/USD'),
      (b) => b.between(T0, T0 + 1000),
    ]);
  });

  it('computes P&L and win rate of a hand-checked example', async () => {
    const simple = await Database.open(':memory:');
    try {
      const base = { symbol: 'BTC/USD', venue: 'v', strategy: 'simple', fee: 1 };
      await simple.insertTrades([
        { ...base, timestamp: T0, side: 'buy', quantity: 2, price: 100 },
        { ...base, timestamp: T0 + 1, side: 'buy', quantity: 2, price: 110 },
        { ...base, timestamp: T0 + 2, side: 'sell', quantity: 3, price: 120 },
        { ...base, timestamp: T0 + 3, side: 'sell', quantity: 1, price: 90 },
      ]);
      const { rows } = await simple.execute(performanceSummary());
      // Average buy 105, average sell 112.5, 4 matched: 4 x 7.5 - 4 fees = 26; one of two sells above 105.
      expect(rows).toEqual([
        {
          strategy: 'simple',
          symbol: null,
          trades: 4,
          buyQuantity: 4,
          sellQuantity: 4,
          volume: 8,
          notional: 200 + 220 + 360 + 90,
          fees: 4,
          realizedPnl: 26,
          winRate: 0.5,
          firstTrade: new Date(T0),
          lastTrade: new Date(T0 + 3),
        },
      ]);
    } finally {
      await simple.close();
    }
  });

  it('summarizes per strategy by default (no strategy last, buy-only strategies realize only fees)', async () => {
    const { rows } = await db.execute(performanceSummary());
    const want = expected(trades, true, false);
    expect(want.map((w) => w.strategy)).toEqual(['arb', 'hodl', 'mm', null]);
    expect(want[1]).toMatchObject({ realizedPnl: -0.75, winRate: null });
    expectSummaries(rows, want);
  });

  it('summarizes per symbol, and per strategy and symbol', async () => {
    expectSummaries(
      (await db.execute(performanceSummary().groupBy({ symbol: true }))).rows,
      expected(trades, false, true),
    );
    expectSummaries(
      (await db.execute(performanceSummary().groupBy({ strategy: true, symbol: true }))).rows,
      expected(trades, true, true),
    );
  });

  it('filters by strategy, symbol and time range', async () => {
    const { rows } = await db.execute(
      performanceSummary()
        .strategy('mm')
        .symbol('ETH/USD')
        .between(T0 + 30_000, T0 + 150_000),
    );
    const kept = trades.filter(
      (t) =>
        t.strategy === 'mm' &&
        t.symbol === 'ETH/USD' &&
        t.timestamp >= T0 + 30_000 &&
        t.timestamp < T0 + 150_000,
    );
    expectSummaries(rows, expected(kept, true, false));
  });

  it('rejects bad filters naming the field', async () => {
    expect((await errorOf(ValidationError, () => performanceSummary().strategy('').compile())).field).toBe(
      'strategy',
    );
    expect(
      (await errorOf(ValidationError, () => performanceSummary().symbol('\u0000').compile())).field,
    ).toBe('symbol');
  });
});
