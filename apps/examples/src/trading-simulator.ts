import { mulberry32 } from '@duckside/testkit';

/** A market-data update for one symbol. */
export interface Quote {
  symbol: string;
  bid: number;
  ask: number;
  mid: number;
}

/** A simulated fill of one of our orders. */
export interface Fill {
  symbol: string;
  venue: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number;
  fee: number;
  orderId: string;
  tradeId: string;
  strategy: string;
  /** Order round-trip latency in milliseconds. */
  latencyMs: number;
  /** Fill price minus the mid at order time, in basis points, signed against us. */
  slippageBps: number;
}

/** What one simulator step produced. */
export interface Step {
  quotes: Quote[];
  orders: number;
  fills: Fill[];
  /** A notable condition worth an event (spread blow-out, reject), if any. */
  incident: { severity: 'warning' | 'error'; message: string; symbol: string } | null;
}

const START_PRICES: Record<string, number> = { 'BTC/USD': 60_000, 'ETH/USD': 3_000, 'SOL/USD': 150 };
const VENUES = ['kraken', 'coinbase'];

/**
 * A seeded random walk of quotes for a few symbols, with a market-making strategy sending orders and getting
 * fills. Deterministic for a seed.
 * @example const sim = new TradingSimulator(42); const step = sim.step();
 */
export class TradingSimulator {
  private readonly rand: () => number;
  private readonly mids = new Map<string, number>();
  private orderSeq = 0;
  readonly symbols = Object.keys(START_PRICES);

  constructor(seed: number) {
    this.rand = mulberry32(seed);
    for (const [symbol, price] of Object.entries(START_PRICES)) this.mids.set(symbol, price);
  }

  /** Advances the market one tick and simulates order flow. */
  step(): Step {
    const quotes: Quote[] = [];
    const fills: Fill[] = [];
    let incident: Step['incident'] = null;
    let orders = 0;
    for (const symbol of this.symbols) {
      const mid = (this.mids.get(symbol) as number) * Math.exp((this.rand() - 0.5) * 0.002);
      this.mids.set(symbol, mid);
      const blowout = this.rand() < 0.01;
      const halfSpread = mid * (blowout ? 0.002 : 0.00005) * (0.5 + this.rand());
      quotes.push({ symbol, bid: mid - halfSpread, ask: mid + halfSpread, mid });
      if (blowout) incident = { severity: 'warning', message: `spread blew out on ${symbol}`, symbol };
      if (this.rand() < 0.6) {
        orders++;
        const side = this.rand() < 0.5 ? 'buy' : 'sell';
        const latencyMs = 2 + this.rand() ** 3 * 80 + (blowout ? 40 : 0);
        if (this.rand() < 0.05) {
          incident = {
            severity: 'error',
            message: `order rejected on ${symbol}: insufficient margin`,
            symbol,
          };
          continue;
        }
        const slippageBps = (this.rand() - 0.3) * 3;
        const price = mid * (1 + ((side === 'buy' ? 1 : -1) * slippageBps) / 10_000);
        const quantity = Number(((1_000 + this.rand() * 9_000) / mid).toFixed(6));
        const id = ++this.orderSeq;
        fills.push({
          symbol,
          venue: VENUES[id % VENUES.length] as string,
          side,
          quantity,
          price,
          fee: price * quantity * 0.0002,
          orderId: `o-${id}`,
          tradeId: `t-${id}`,
          strategy: symbol === 'BTC/USD' ? 'mm-btc' : 'mm-alts',
          latencyMs,
          slippageBps,
        });
      }
    }
    return { quotes, orders, fills, incident };
  }
}
