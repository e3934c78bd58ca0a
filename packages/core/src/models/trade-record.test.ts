import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.ts';
import { ValidationError } from '../errors/errors.ts';
import { type TradeInput, TradeRecord, tradeInputSchema } from './trade-record.ts';

const T = Date.UTC(2024, 0, 2, 3, 4, 5);
const valid: TradeInput = {
  timestamp: T,
  symbol: 'ETH/USD',
  venue: 'coinbase',
  side: 'buy',
  quantity: 2,
  price: 3000,
};

describe('TradeRecord', () => {
  it('builds a frozen trade with a default fee of 0 and optional ids', () => {
    const trade = new TradeRecord(valid);
    expect(trade).toMatchObject({ ...valid, timestamp: BigInt(T) * 1_000_000n, fee: 0 });
    expect(trade.orderId ?? null).toBeNull();
    expect(Object.isFrozen(trade)).toBe(true);
    const full = new TradeRecord({ ...valid, fee: 1.5, orderId: 'o-1', tradeId: 't-1', strategy: 'mm' });
    expect(full).toMatchObject({ fee: 1.5, orderId: 'o-1', tradeId: 't-1', strategy: 'mm' });
  });

  it('signs the quantity by side', () => {
    expect(new TradeRecord(valid).signedQuantity).toBe(2);
    expect(new TradeRecord({ ...valid, side: 'sell' }).signedQuantity).toBe(-2);
  });

  it('copies with changes, leaving the original alone', () => {
    const trade = new TradeRecord(valid);
    const sold = trade.with({ side: 'sell', price: 3100 });
    expect(sold).toMatchObject({ side: 'sell', price: 3100, quantity: 2 });
    expect(trade).toMatchObject({ side: 'buy', price: 3000 });
  });

  it('validates JSON input with from()', () => {
    expect(TradeRecord.from({ ...valid, timestamp: '2024-01-02T03:04:05Z' }).timestamp).toBe(
      BigInt(T) * 1_000_000n,
    );
  });

  it.each([
    ['a zero quantity', { quantity: 0 }, 'quantity'],
    ['a negative quantity', { quantity: -1 }, 'quantity'],
    ['a NaN price', { price: Number.NaN }, 'price'],
    ['an infinite fee', { fee: Number.NEGATIVE_INFINITY }, 'fee'],
    ['an unknown side', { side: 'hold' }, 'side'],
    ['an empty symbol', { symbol: '' }, 'symbol'],
    ['an empty order id', { orderId: '' }, 'orderId'],
    ['a bad timestamp', { timestamp: 'soon' }, 'timestamp'],
  ])('rejects %s naming the field', async (_what, change, field) => {
    const error = await errorOf(
      ValidationError,
      () => new TradeRecord({ ...valid, ...change } as TradeInput),
    );
    expect(error.field).toBe(field);
  });

  it('rejects unknown fields, naming them', async () => {
    expect(
      (await errorOf(ValidationError, () => TradeRecord.from({ ...valid, leverage: 10 }))).message,
    ).toContain('leverage');
  });

  it('exposes its zod schema', () => {
    expect(tradeInputSchema.safeParse(valid).success).toBe(true);
    expect(tradeInputSchema.safeParse({ ...valid, quantity: 0 }).success).toBe(false);
  });
});
