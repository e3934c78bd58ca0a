import { z } from 'zod';
import { finiteNumber, nameText, parseWith, timestampSchema } from './validation.ts';

/** zod schema of a trade (fill) as JSON. */
export const tradeInputSchema = z
  .object({
    timestamp: timestampSchema,
    symbol: nameText(64),
    venue: nameText(64),
    side: z.enum(['buy', 'sell']),
    quantity: finiteNumber.refine((v) => v > 0, 'must be positive'),
    price: finiteNumber,
    fee: finiteNumber.default(0),
    orderId: nameText().nullish(),
    tradeId: nameText().nullish(),
    strategy: nameText().nullish(),
  })
  .strict();

/** The input shape of {@link tradeInputSchema}. */
export type TradeInput = z.input<typeof tradeInputSchema>;

/**
 * A fill: what was bought or sold, where, at what price and fee, for which order and strategy.
 * @example new TradeRecord({ timestamp: Date.now(), symbol: 'ETH/USD', venue: 'coinbase', side: 'buy', quantity: 2, price: 3000 })
 */
export class TradeRecord {
  /** Unix nanoseconds (stored with microsecond precision). */
  readonly timestamp!: bigint;
  readonly symbol!: string;
  readonly venue!: string;
  readonly side!: 'buy' | 'sell';
  readonly quantity!: number;
  readonly price!: number;
  readonly fee!: number;
  readonly orderId!: string | null | undefined;
  readonly tradeId!: string | null | undefined;
  readonly strategy!: string | null | undefined;

  /** Validates and builds; `index` names the row in errors. */
  constructor(input: TradeInput, index?: number) {
    Object.assign(this, parseWith(tradeInputSchema, input, index));
    Object.freeze(this);
  }

  /** Validates JSON-shaped input. */
  static from(input: unknown, index?: number): TradeRecord {
    return new TradeRecord(input as TradeInput, index);
  }

  /** Returns a validated copy with some fields changed. */
  with(changes: Partial<TradeInput>): TradeRecord {
    return new TradeRecord({ ...this, ...changes });
  }

  /** Signed quantity: positive for buys, negative for sells. */
  get signedQuantity(): number {
    return this.side === 'buy' ? this.quantity : -this.quantity;
  }
}
