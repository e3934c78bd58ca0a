import { mulberry32 } from '@duckside/testkit';
import type { TradeInput } from '../../src/index.ts';
import type { TestPoint } from './write-points.ts';

/** Start of the seeded market: 2024-01-02 09:00 UTC. */
export const MARKET_T0 = Date.UTC(2024, 0, 2, 9, 0, 0);
/** Symbols and venues of the seeded market. */
export const MARKET_SYMBOLS = ['BTC/USD', 'ETH/USD'] as const;
export const MARKET_VENUES = ['alpha', 'beta'] as const;

/** A seeded market: mid prices and latencies per symbol and venue (label `venue`), and fills. */
export interface SeededMarket {
  mids: TestPoint[];
  latency: TestPoint[];
  trades: (TradeInput & { timestamp: number })[];
}

const MS = 1_000_000n;

/**
 * Generates a small market: per symbol and venue a mid series starting 3 s after `MARKET_T0` (so the first fills
 * come before any price), steps of 0.2-3 s with one 25 s gap, venue `alpha` on even and `beta` on odd milliseconds
 * (no two points of a symbol share a time); fills over two minutes (the first four before any price), a fifth of them exactly at a mid point's time.
 * @example const market = seededMarket(7); await writePoints(db, market.mids);
 */
export function seededMarket(seed: number, fills = 120): SeededMarket {
  const rand = mulberry32(seed);
  const mids: TestPoint[] = [];
  const latency: TestPoint[] = [];
  for (const [s, symbol] of MARKET_SYMBOLS.entries()) {
    for (const [v, venue] of MARKET_VENUES.entries()) {
      let t = MARKET_T0 + 3000 + v;
      let price = s === 0 ? 40_000 : 2_000;
      for (let i = 0; t < MARKET_T0 + 150_000; i++) {
        mids.push({ name: 'mid', time: BigInt(t) * MS, value: price, symbol, labels: { venue } });
        if (i % 3 === 0) {
          latency.push({
            name: 'latency_ms',
            time: BigInt(t + 2) * MS,
            value: Math.round(rand() * 500) / 10,
            symbol,
            labels: { venue },
          });
        }
        price = Math.round(price * (1 + (rand() - 0.5) * 0.002) * 100) / 100;
        t += i === 20 ? 25_000 : 200 + 2 * Math.floor(rand() * 1400);
      }
    }
  }
  const trades: SeededMarket['trades'] = [];
  for (let i = 0; i < fills; i++) {
    const symbol = MARKET_SYMBOLS[i % 2] as string;
    const venue = MARKET_VENUES[Math.floor(rand() * 2)] as string;
    const own = mids.filter((p) => p.symbol === symbol && p.labels?.venue === venue);
    const tie = rand() < 0.2 ? own[Math.floor(rand() * own.length)] : undefined;
    const timestamp =
      i < 4 ? MARKET_T0 + i * 700 : tie ? Number(tie.time / MS) : MARKET_T0 + Math.floor(rand() * 120_000);
    const side = rand() < 0.5 ? 'buy' : 'sell';
    const near = own.filter((p) => Number(p.time / MS) <= timestamp).at(-1)?.value ?? own[0]?.value ?? 1;
    const price = Math.round(near * (1 + (rand() - 0.45) * 0.001) * 100) / 100;
    const quantity = Math.round((0.1 + rand() * 2) * 1000) / 1000;
    trades.push({
      timestamp,
      symbol,
      venue,
      side,
      quantity,
      price,
      fee: Math.round(price * quantity * 0.0002 * 1e6) / 1e6,
      strategy: i % 3 === 0 ? 'mm' : 'taker',
    });
  }
  return { mids, latency, trades };
}

/**
 * The latest point of `points` at or before `ms` (strictly before when `strict`), as a reference as-of lookup.
 * @example latestAtOrBefore(mids.filter((p) => p.symbol === 'BTC/USD'), fill.timestamp, false)
 */
export function latestAtOrBefore(
  points: readonly TestPoint[],
  ms: number,
  strict = false,
): TestPoint | undefined {
  let best: TestPoint | undefined;
  for (const p of points) {
    const t = Number(p.time / MS);
    if ((strict ? t < ms : t <= ms) && (!best || p.time > best.time)) best = p;
  }
  return best;
}
