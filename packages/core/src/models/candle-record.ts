import { z } from 'zod';
import { TimeInterval } from '../time/index.ts';
import { finiteNumber, nameText, parseWith, timestampSchema } from './validation.ts';

/** zod schema of a candle as JSON. */
export const candleInputSchema = z
  .object({
    symbol: nameText(64),
    venue: nameText(64),
    interval: z.string().transform((s, ctx) => {
      try {
        return TimeInterval.parse(s).toString();
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected an interval like 1s, 1m, 5m, 1h, 1d' });
        return z.NEVER;
      }
    }),
    timestamp: timestampSchema,
    open: finiteNumber,
    high: finiteNumber,
    low: finiteNumber,
    close: finiteNumber,
    volume: finiteNumber.refine((v) => v >= 0, 'must not be negative'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.high < c.low)
      ctx.addIssue({ code: 'custom', path: ['high'], message: 'high must not be below low' });
    else if (c.high < Math.max(c.open, c.close)) {
      ctx.addIssue({ code: 'custom', path: ['high'], message: 'high must not be below open or close' });
    } else if (c.low > Math.min(c.open, c.close)) {
      ctx.addIssue({ code: 'custom', path: ['low'], message: 'low must not be above open or close' });
    }
  });

/** The input shape of {@link candleInputSchema}. */
export type CandleInput = z.input<typeof candleInputSchema>;

/**
 * One OHLCV candle per symbol, venue, interval and start time. Re-writing the same key replaces the candle.
 * @example new CandleRecord({ symbol: 'BTC/USD', venue: 'kraken', interval: '1m', timestamp: Date.now(), open: 1, high: 2, low: 1, close: 2, volume: 10 })
 */
export class CandleRecord {
  readonly symbol!: string;
  readonly venue!: string;
  readonly interval!: string;
  /** Start of the candle, unix nanoseconds. */
  readonly timestamp!: bigint;
  readonly open!: number;
  readonly high!: number;
  readonly low!: number;
  readonly close!: number;
  readonly volume!: number;

  /** Validates and builds; `index` names the row in errors. */
  constructor(input: CandleInput, index?: number) {
    Object.assign(this, parseWith(candleInputSchema, input, index));
    Object.freeze(this);
  }

  /** Validates JSON-shaped input. */
  static from(input: unknown, index?: number): CandleRecord {
    return new CandleRecord(input as CandleInput, index);
  }

  /** Returns a validated copy with some fields changed. */
  with(changes: Partial<CandleInput>): CandleRecord {
    return new CandleRecord({ ...this, ...changes });
  }
}
