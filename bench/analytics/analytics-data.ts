import { SYMBOLS } from '../core/trading-catalog.ts';
import { DATA_DAYS, DATA_START } from '../core/trading-data.ts';
import { Prng } from '../lib/prng.ts';

/** Symbols of the analytics data set: the first eight of the bench catalog. */
export const ANALYTICS_SYMBOLS = SYMBOLS.slice(0, 8);
export const ANALYTICS_VENUES = ['kraken', 'coinbase', 'binance'] as const;
export const ANALYTICS_STRATEGIES = ['mm-1', 'mm-2', 'taker-1', 'arb-1'] as const;

/** Scalar points of one metric, column by column, in time order. */
export interface PointColumns {
  length: number;
  /** Unix microseconds, ascending. */
  micros: Float64Array;
  symbol: Uint8Array;
  value: Float64Array;
}

/** Fills column by column, in time order. */
export interface FillColumns {
  length: number;
  micros: Float64Array;
  symbol: Uint8Array;
  venue: Uint8Array;
  strategy: Uint8Array;
  /** 1 buy, -1 sell. */
  side: Int8Array;
  quantity: Float64Array;
  price: Float64Array;
  fee: Float64Array;
}

/** The analytics data set: mid prices, spreads and fills over the bench's seven days. */
export interface AnalyticsData {
  mids: PointColumns;
  spreads: PointColumns;
  fills: FillColumns;
}

const START = DATA_START * 1000;
const SPAN = DATA_DAYS * 86_400_000_000;

function points(rows: number, rng: Prng, next: (symbol: number) => number): PointColumns {
  const out: PointColumns = {
    length: rows,
    micros: new Float64Array(rows),
    symbol: new Uint8Array(rows),
    value: new Float64Array(rows),
  };
  const step = SPAN / rows;
  for (let i = 0; i < rows; i++) {
    const symbol = rng.int(ANALYTICS_SYMBOLS.length);
    out.micros[i] = START + Math.floor((i + rng.next()) * step);
    out.symbol[i] = symbol;
    out.value[i] = next(symbol);
  }
  return out;
}

/**
 * Deterministic analytics data: `prices` mid points (a random walk per symbol), a tenth as many spread points,
 * and `fills` fills priced near the latest mid of their symbol (a few basis points either side, fee 2 bps), all
 * spread evenly over the bench's seven days.
 * @example const data = analyticsData(10_000_000, 1_000_000);
 */
export function analyticsData(prices: number, fills: number, seed = 19): AnalyticsData {
  const rng = new Prng(seed);
  const walk = ANALYTICS_SYMBOLS.map((s) => s.price);
  const mids = points(prices, rng, (s) => {
    walk[s] = (walk[s] as number) * (1 + 0.0002 * rng.normal());
    return walk[s] as number;
  });
  const spreads = points(Math.max(1, Math.floor(prices / 10)), rng, () => Math.exp(1 + 0.5 * rng.normal()));
  const out: FillColumns = {
    length: fills,
    micros: new Float64Array(fills),
    symbol: new Uint8Array(fills),
    venue: new Uint8Array(fills),
    strategy: new Uint8Array(fills),
    side: new Int8Array(fills),
    quantity: new Float64Array(fills),
    price: new Float64Array(fills),
    fee: new Float64Array(fills),
  };
  const last = ANALYTICS_SYMBOLS.map((s) => s.price);
  const step = SPAN / fills;
  let m = 0;
  for (let i = 0; i < fills; i++) {
    const micros = START + Math.floor((i + rng.next()) * step);
    while (m < mids.length && (mids.micros[m] as number) <= micros) {
      last[mids.symbol[m] as number] = mids.value[m] as number;
      m++;
    }
    const symbol = rng.int(ANALYTICS_SYMBOLS.length);
    const side = rng.next() < 0.5 ? 1 : -1;
    const price = (last[symbol] as number) * (1 + side * 0.0001 * (1 + rng.normal()));
    const quantity = Math.round((0.01 + rng.next() * 5) * 1000) / 1000;
    out.micros[i] = micros;
    out.symbol[i] = symbol;
    out.venue[i] = rng.int(ANALYTICS_VENUES.length);
    out.strategy[i] = rng.int(ANALYTICS_STRATEGIES.length);
    out.side[i] = side;
    out.quantity[i] = quantity;
    out.price[i] = price;
    out.fee[i] = price * quantity * 0.0002;
  }
  return { mids, spreads, fills: out };
}
