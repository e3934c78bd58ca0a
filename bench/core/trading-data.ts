import { cumulativeWeights, Prng } from '../lib/prng.ts';
import { EXCHANGES, LABEL_COMBOS, labelGroupIndex, METRICS, STRATEGIES, SYMBOLS } from './trading-catalog.ts';

/** First instant of the synthetic data set (a Monday, UTC). */
export const DATA_START = Date.UTC(2025, 2, 3);
/** Days the data set spans; its points are spread evenly over them, in time order. */
export const DATA_DAYS = 7;
/** The day the "one day" queries look at: the last full day. */
export const QUERY_DAY = DATA_START + (DATA_DAYS - 1) * 86_400_000;

const START_MICROS = DATA_START * 1000;
const SPAN_MICROS = DATA_DAYS * 86_400_000_000;

/**
 * A columnar slice of synthetic metric points. Strings are indices into the catalog
 * (`METRICS`, `SYMBOLS`, `ATTRIBUTE_TEXTS`), so every consumer shares the same string objects.
 */
export interface MetricRows {
  length: number;
  /** Unix microseconds, ascending. */
  timeMicros: Float64Array;
  /** 0..999 nanoseconds beyond `timeMicros`. */
  timeNanos: Uint16Array;
  metric: Uint8Array;
  symbol: Uint8Array;
  /** Index into `ATTRIBUTE_TEXTS`. */
  attributes: Uint16Array;
  value: Float64Array;
}

const METRIC_CDF = cumulativeWeights(METRICS.map((d) => d.weight));
const SYMBOL_CDF = cumulativeWeights(SYMBOLS.map((_, i) => 1 / (i + 1) ** 0.8));
const GROUP_OF = METRICS.map(labelGroupIndex);

/**
 * Deterministic synthetic trading telemetry: `rows` points spread over {@link DATA_DAYS} days, produced in
 * batches. Two generators with the same seed and row count produce identical batches.
 * @example
 * const gen = new TradingDataGenerator(1_000_000);
 * for (let rows = gen.next(100_000); rows; rows = gen.next(100_000)) write(rows);
 */
export class TradingDataGenerator {
  private readonly rng: Prng;
  private produced = 0;
  private readonly step: number;
  private readonly prices = SYMBOLS.map((s) => s.price);
  private readonly counters = SYMBOLS.map(() => 0);
  private readonly rejects = SYMBOLS.map(() => 0);
  private readonly positions = SYMBOLS.map(() => 0);
  private readonly pnl = SYMBOLS.map(() => 0);

  constructor(
    readonly rows: number,
    seed = 20250303,
  ) {
    this.rng = new Prng(seed);
    this.step = SPAN_MICROS / rows;
  }

  /** The next batch of at most `max` points, or undefined when all rows were produced. */
  next(max: number): MetricRows | undefined {
    const n = Math.min(max, this.rows - this.produced);
    if (n <= 0) return undefined;
    const out = emptyMetricRows(n);
    const rng = this.rng;
    for (let i = 0; i < n; i++) {
      const index = this.produced + i;
      const metric = rng.pick(METRIC_CDF);
      const symbol = rng.pick(SYMBOL_CDF);
      out.timeMicros[i] = START_MICROS + Math.floor((index + rng.next()) * this.step);
      out.timeNanos[i] = rng.int(1000);
      out.metric[i] = metric;
      out.symbol[i] = symbol;
      out.attributes[i] =
        (GROUP_OF[metric]! * LABEL_COMBOS + this.labelCombo(symbol)) * SYMBOLS.length + symbol;
      out.value[i] = this.value(metric, symbol);
    }
    this.produced += n;
    return out;
  }

  private labelCombo(symbol: number): number {
    const rng = this.rng;
    const exchange = SYMBOLS[symbol]!.equity ? 0 : rng.int(EXCHANGES.length);
    const strategy = rng.int(STRATEGIES.length);
    const orderType = rng.next() < 0.8 ? 0 : 1;
    return exchange + EXCHANGES.length * (strategy + STRATEGIES.length * orderType);
  }

  private value(metric: number, symbol: number): number {
    const rng = this.rng;
    switch (METRICS[metric]!.model) {
      case 'price': {
        const p = this.prices[symbol]! * (1 + 0.0004 * rng.normal());
        this.prices[symbol] = p;
        return p;
      }
      case 'spread':
        return Math.exp(1.2 + 0.5 * rng.normal());
      case 'depth':
        return 250_000 * Math.exp(0.5 * rng.normal());
      case 'age':
        return Math.exp(1 + 0.8 * rng.normal());
      case 'latency': {
        const base = Math.exp(Math.log(4) + 0.45 * rng.normal());
        return rng.next() < 0.01 ? base * 12 : base;
      }
      case 'fill':
        return Math.exp(Math.log(12) + 0.6 * rng.normal());
      case 'counter':
        this.counters[symbol]! += 1 + rng.int(3);
        return this.counters[symbol]!;
      case 'rejects':
        if (rng.next() < 0.3) this.rejects[symbol]! += 1;
        return this.rejects[symbol]!;
      case 'position': {
        const q = Math.round(this.positions[symbol]! + 10 * rng.normal());
        this.positions[symbol] = q;
        return q;
      }
      default: {
        const v = this.pnl[symbol]! + 50 * rng.normal();
        this.pnl[symbol] = v;
        return Math.round(v * 100) / 100;
      }
    }
  }
}

/** `n` rows of zeros, to be filled column by column. */
export function emptyMetricRows(n: number): MetricRows {
  return {
    length: n,
    timeMicros: new Float64Array(n),
    timeNanos: new Uint16Array(n),
    metric: new Uint8Array(n),
    symbol: new Uint8Array(n),
    attributes: new Uint16Array(n),
    value: new Float64Array(n),
  };
}
