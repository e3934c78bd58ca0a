import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../../test/support/error-of.ts';
import { encodeAttributes, encodeLabels } from '../attributes/attributes.ts';
import { ValidationError } from '../errors/errors.ts';
import { MetricRecord, metricInputSchema } from './metric-record.ts';

const T = Date.UTC(2024, 0, 2, 3, 4, 5);

describe('MetricRecord', () => {
  it('builds with symbol and labels, each step returning a new frozen record', () => {
    const base = new MetricRecord('order_latency_ms', 42.5, T);
    const withSymbol = base.withSymbol('BTC/USD');
    const full = withSymbol.addLabel('exchange', 'alpaca').addLabel('depth', 3);
    expect(full).toMatchObject({
      name: 'order_latency_ms',
      value: 42.5,
      timestamp: BigInt(T) * 1_000_000n,
      symbol: 'BTC/USD',
      labels: { exchange: 'alpaca', depth: 3 },
    });
    expect(base.symbol).toBeNull();
    expect(base.labels).toEqual({});
    expect(withSymbol.labels).toEqual({});
    expect(Object.isFrozen(full)).toBe(true);
    expect(Object.isFrozen(full.labels)).toBe(true);
    expect(full).toBeInstanceOf(MetricRecord);
  });

  it('stamps the current time when none is given', () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const record = new MetricRecord('x', 1);
    expect(record.timestamp).toBeGreaterThanOrEqual(before);
    expect(record.timestamp).toBeLessThanOrEqual(BigInt(Date.now()) * 1_000_000n);
  });

  it('changes the timestamp with full nanosecond precision', () => {
    const record = new MetricRecord('x', 1, T)
      .withSymbol('S')
      .withTimestamp('2024-01-02T03:04:05.000000123Z');
    expect(record.timestamp).toBe(BigInt(T) * 1_000_000n + 123n);
    expect(record.symbol).toBe('S');
  });

  it('types labels as attributes: safe integers become ints, other numbers doubles', () => {
    const record = new MetricRecord('x', 1)
      .addLabel('n', 3)
      .addLabel('d', 1.5)
      .addLabel('big', 2 ** 60)
      .addLabel('b', true)
      .addLabel('s', 'v');
    expect(record.attributes()).toEqual({ n: 3n, d: 1.5, big: 2 ** 60, b: true, s: 'v' });
  });

  it('validates JSON input with from()', () => {
    const record = MetricRecord.from({
      name: 'pnl',
      value: -1.5,
      timestamp: '2024-01-02T03:04:05Z',
      symbol: 'ETH/USD',
      labels: { desk: 'a', n: 2 },
    });
    expect(record).toBeInstanceOf(MetricRecord);
    expect(record).toMatchObject({
      name: 'pnl',
      value: -1.5,
      symbol: 'ETH/USD',
      labels: { desk: 'a', n: 2 },
    });
    expect(record.timestamp).toBe(BigInt(T) * 1_000_000n);
    expect(MetricRecord.from({ name: 'x', value: 0, symbol: null }).symbol).toBeNull();
  });

  it.each([
    ['an empty name', () => new MetricRecord('', 1), 'name'],
    ['a NaN value', () => new MetricRecord('x', Number.NaN), 'value'],
    ['an infinite value', () => new MetricRecord('x', Number.POSITIVE_INFINITY), 'value'],
    ['a bad timestamp', () => new MetricRecord('x', 1, 'not a time'), 'timestamp'],
    ['a negative timestamp', () => new MetricRecord('x', 1, -5), 'timestamp'],
    ['an empty symbol', () => new MetricRecord('x', 1).withSymbol(''), 'symbol'],
    ['a symbol with NUL', () => new MetricRecord('x', 1).withSymbol('a\u0000b'), 'symbol'],
    ['a long symbol', () => new MetricRecord('x', 1).withSymbol('s'.repeat(65)), 'symbol'],
    [
      'a bad new timestamp',
      () => new MetricRecord('x', 1).withTimestamp('2024-02-30T00:00:00Z'),
      'timestamp',
    ],
    ['a NaN label', () => new MetricRecord('x', 1).addLabel('k', Number.NaN), 'labels.k'],
    ['a long label value', () => new MetricRecord('x', 1).addLabel('k', 'v'.repeat(4097)), 'labels.k'],
    ['a name with NUL', () => MetricRecord.from({ name: 'a\u0000', value: 1 }), 'name'],
    ['a string value', () => MetricRecord.from({ name: 'x', value: '1' }), 'value'],
    ['a missing value', () => MetricRecord.from({ name: 'x' }), 'value'],
  ])('rejects %s naming the field', async (_what, build, field) => {
    const error = await errorOf(ValidationError, build);
    expect(error.field).toBe(field);
    expect(error.code).toBe('validation');
    expect(error.message).toContain(field);
  });

  it('rejects an empty label key', async () => {
    expect((await errorOf(ValidationError, () => new MetricRecord('x', 1).addLabel('', 'v'))).field).toMatch(
      /^labels/,
    );
  });

  it('rejects unknown fields, naming them, and names the row', async () => {
    const error = await errorOf(ValidationError, () =>
      MetricRecord.from({ name: 'x', value: 1, colour: 'red' }, 3),
    );
    expect(error.message).toContain('colour');
    expect(error.index).toBe(3);
    expect(error.message).toMatch(/^row 3: /);
  });

  it('exposes its zod schema', () => {
    expect(metricInputSchema.safeParse({ name: 'x', value: 1 }).success).toBe(true);
    expect(metricInputSchema.safeParse({ name: '', value: 1 }).success).toBe(false);
  });
});

describe('encodeLabels', () => {
  const key = fc.string({
    unit: fc.constantFrom('a', 'é', '"', '\\', '\n', '\ud800', '😀', '_'),
    minLength: 1,
  });
  const value = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, -0, 2 ** 60),
  );

  it("writes what encodeAttributes writes for the record's typed attributes", () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5, noNullPrototype: true }), (labels) => {
        const record = MetricRecord.from({ name: 'm', value: 1, labels });
        expect(encodeLabels(record.labels)).toBe(encodeAttributes(record.attributes()));
      }),
    );
  });
});
