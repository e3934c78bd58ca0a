import { CandleQueryBuilder, candles } from '../query/candle-query.ts';
import { type CompiledQuery, compiled } from '../query/compiled-query.ts';
import { checkBucketCount } from '../query/time-range-clause.ts';
import { type ColumnFill, type GapFill, gapFillSql, parseGapFill, valueFill } from './gap-fill.ts';

/** A candle of a gap-filled candle query: the values are null where the fill mode leaves them unknown. */
export interface FilledCandleRow {
  ts: Date;
  symbol: string;
  venue: string | null;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
  vwap: number | null;
  trades: number | null;
  /** True for a bucket without a candle, added by gap filling. */
  filled: boolean;
}

const PRICES = ['open', 'high', 'low', 'close'] as const;

/**
 * A candle query (every setter of `candles`) that ends with {@link fill}: every bucket of the range present.
 * @example filledCandles('BTC/USD').fromTrades().interval('1m').between(from, to).fill('prev')
 */
export class FillableCandleBuilder extends CandleQueryBuilder {
  /**
   * The same candle query, gap-fillable.
   * @example FillableCandleBuilder.of(candles('BTC/USD').fromTrades()).between(from, to).fill('prev')
   */
  static of(query: CandleQueryBuilder): FillableCandleBuilder {
    return new FillableCandleBuilder((query as FillableCandleBuilder).state);
  }

  /**
   * Fills empty buckets and returns the query. `prev` gives an empty bucket the previous close as open, high, low
   * and close; `linear` interpolates each of them; a number sets all four; in these three modes volume (and the
   * trade count of built candles) is 0 and vwap NULL. `null` leaves every value NULL. Stored candles are placed
   * on the `time_bucket` grid of their interval.
   */
  fill(fill: GapFill | string): CompiledCandleFill {
    const s = this.state;
    const mode = parseGapFill(fill);
    checkBucketCount(s, s.interval, s.maxBuckets);
    const source = super.compile();
    const built = s.source.kind !== 'stored';
    const known = s.symbol !== undefined && (built || s.venue !== undefined);
    const zero: ColumnFill = mode === 'null' ? { kind: 'keep' } : { kind: 'zero' };
    const query = gapFillSql({
      source: {
        sql: `SELECT time_bucket(?::INTERVAL, ts) AS ts, * EXCLUDE (ts) FROM (${source.sql})`,
        params: [s.interval.sql, ...source.params],
      },
      bucket: 'ts',
      groups: ['symbol', 'venue'],
      ...(known
        ? {
            knownGroups: {
              sql: 'SELECT ?::VARCHAR AS symbol, ?::VARCHAR AS venue',
              params: [s.symbol ?? null, s.venue ?? null],
            },
          }
        : {}),
      columns: [
        ...PRICES.map((c) => [c, valueFill(mode, 'close')] as const),
        ['volume', zero],
        ['vwap', { kind: 'keep' }],
        ['trades', built ? zero : { kind: 'keep' }],
      ],
      interval: s.interval,
      ...(s.from === undefined ? {} : { from: s.from }),
      ...(s.to === undefined ? {} : { to: s.to }),
      mode,
      limit: s.limit,
    });
    return new CompiledCandleFill(compiled(query.sql, query.params));
  }
}

/** A compiled gap-filled candle query, for `db.execute`. */
export class CompiledCandleFill {
  constructor(private readonly query: CompiledQuery<FilledCandleRow>) {
    Object.freeze(this);
  }
  /** The frozen SQL and parameters. */
  compile(): CompiledQuery<FilledCandleRow> {
    return this.query;
  }
}

/**
 * Starts a gap-fillable candle query for one symbol (or all): stored 1m candles by default, like `candles`.
 * @example db.execute(filledCandles('ETH/USD').fromTrades().between(from, to).fill('prev'))
 */
export function filledCandles(symbol?: string): FillableCandleBuilder {
  return FillableCandleBuilder.of(candles(symbol));
}
