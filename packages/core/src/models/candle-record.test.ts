import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.ts';
import { ValidationError } from '../errors/errors.ts';
import { type CandleInput, CandleRecord, candleInputSchema } from './candle-record.ts';

const T = Date.UTC(2024, 0, 2, 3, 4);
const valid: CandleInput = {
  symbol: 'BTC/USD',
  venue: 'kraken',
  interval: '1m',
  timestamp: T,
  open: 100,
  high: 110,
  low: 95,
  close: 105,
  volume: 12.5,
};

describe('CandleRecord', () => {
  it('builds a frozen candle with a nanosecond start time', () => {
    const candle = new CandleRecord(valid);
    expect(candle).toMatchObject({ ...valid, timestamp: BigInt(T) * 1_000_000n });
    expect(Object.isFrozen(candle)).toBe(true);
  });

  it('normalizes the interval', () => {
    expect(new CandleRecord({ ...valid, interval: ' 5m ' }).interval).toBe('5m');
  });

  it('accepts a flat candle and zero volume', () => {
    const flat = new CandleRecord({ ...valid, open: 1, high: 1, low: 1, close: 1, volume: 0 });
    expect(flat.volume).toBe(0);
  });

  it('copies with changes, validating again and leaving the original alone', async () => {
    const candle = new CandleRecord(valid);
    const changed = candle.with({ close: 108 });
    expect(changed.close).toBe(108);
    expect(changed.timestamp).toBe(candle.timestamp);
    expect(candle.close).toBe(105);
    expect((await errorOf(ValidationError, () => candle.with({ high: 90 }))).field).toBe('high');
  });

  it('validates JSON input with from()', () => {
    expect(CandleRecord.from({ ...valid, timestamp: '2024-01-02T03:04:00Z' }).timestamp).toBe(
      BigInt(T) * 1_000_000n,
    );
  });

  it.each([
    ['high below low', { high: 90, low: 95 }, 'high'],
    ['high below close', { high: 104 }, 'high'],
    ['low above open', { low: 101 }, 'low'],
    ['negative volume', { volume: -1 }, 'volume'],
    ['a NaN open', { open: Number.NaN }, 'open'],
    ['an infinite close', { close: Number.POSITIVE_INFINITY }, 'close'],
    ['an empty symbol', { symbol: '' }, 'symbol'],
    ['an empty venue', { venue: '' }, 'venue'],
    ['a bad interval', { interval: '1y' }, 'interval'],
    ['a bad timestamp', { timestamp: '2024-13-01T00:00:00Z' }, 'timestamp'],
    ['a missing timestamp', { timestamp: undefined }, 'timestamp'],
  ])('rejects %s naming the field', async (_what, change, field) => {
    const error = await errorOf(
      ValidationError,
      () => new CandleRecord({ ...valid, ...change } as CandleInput, 7),
    );
    expect(error.field).toBe(field);
    expect(error.index).toBe(7);
    expect(error.message).toContain(`row 7: ${field}`);
  });

  it('rejects unknown fields, naming them', async () => {
    const error = await errorOf(ValidationError, () => CandleRecord.from({ ...valid, vwap: 1 }));
    expect(error.message).toContain('vwap');
  });

  it('exposes its zod schema', () => {
    expect(candleInputSchema.safeParse(valid).success).toBe(true);
    expect(candleInputSchema.safeParse({ ...valid, volume: -1 }).success).toBe(false);
  });
});
