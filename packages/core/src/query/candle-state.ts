import type { TimeInterval } from '../time/index.ts';
import type { RangedState } from './ranged-builder.ts';

/** A candle row. `vwap` and `trades` are null for stored candles. */
export interface CandleRow {
  ts: Date;
  symbol: string;
  venue: string | null;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number | null;
  trades: number | null;
}

/** Where candles come from: stored candles, built from trades, or built from a price metric (volume = sample count). */
export type CandleSource = { kind: 'stored' } | { kind: 'trades' } | { kind: 'metric'; name: string };

/** State of a candle query. */
export interface CandleState extends RangedState {
  symbol?: string;
  venue?: string;
  interval: TimeInterval;
  source: CandleSource;
  maxBuckets: number;
}
