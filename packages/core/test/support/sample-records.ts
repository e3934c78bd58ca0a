import type { CandleInput, TradeInput } from '../../src/index.ts';

const T = Date.UTC(2024, 0, 2);

/**
 * A valid flat candle (every price 1, volume 1) on 2024-01-02, with `changes` applied.
 * @example await db.insertCandles([sampleCandle({ symbol: 'ETH/USD' })]);
 */
export function sampleCandle(changes: Partial<CandleInput> = {}): CandleInput {
  return {
    symbol: 'BTC/USD',
    venue: 'v',
    interval: '1m',
    timestamp: T,
    open: 1,
    high: 1,
    low: 1,
    close: 1,
    volume: 1,
    ...changes,
  };
}

/**
 * A valid trade (buy 1 at 1) on 2024-01-02, with `changes` applied.
 * @example await db.insertTrades([sampleTrade({ side: 'sell' })]);
 */
export function sampleTrade(changes: Partial<TradeInput> = {}): TradeInput {
  return { timestamp: T, symbol: 'BTC/USD', venue: 'v', side: 'buy', quantity: 1, price: 1, ...changes };
}
