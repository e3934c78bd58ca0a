import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorOf } from '../../test/support/error-of.ts';
import { ValidationError } from '../errors/errors.ts';
import { parseWith, timestampSchema } from './validation.ts';

describe('parseWith', () => {
  const schema = z.object({ outer: z.object({ inner: z.number() }) }).strict();

  it('returns the parsed value', () => {
    expect(parseWith(schema, { outer: { inner: 1 } })).toEqual({ outer: { inner: 1 } });
  });

  it('names the first bad field by its dotted path and the row', async () => {
    const error = await errorOf(ValidationError, () => parseWith(schema, { outer: { inner: 'x' } }, 4));
    expect(error.field).toBe('outer.inner');
    expect(error.index).toBe(4);
    expect(error.message).toMatch(/^row 4: outer\.inner: /);
  });

  it('names unknown fields', async () => {
    const error = await errorOf(ValidationError, () =>
      parseWith(schema, { outer: { inner: 1 }, extra: 1, more: 2 }),
    );
    expect(error.field).toBe('record');
    expect(error.message).toContain('extra, more');
    expect(error.index).toBeUndefined();
  });

  it('names the record when the input is not an object', async () => {
    expect((await errorOf(ValidationError, () => parseWith(schema, 'text'))).field).toBe('record');
  });
});

describe('timestampSchema', () => {
  it('parses every accepted input to nanoseconds', () => {
    const ms = Date.UTC(2024, 0, 2);
    const nanos = BigInt(ms) * 1_000_000n;
    for (const input of [ms, new Date(ms), nanos, '2024-01-02T00:00:00Z', String(ms)]) {
      expect(timestampSchema.parse(input)).toBe(nanos);
    }
  });

  it('reports bad input as a zod issue', () => {
    const result = timestampSchema.safeParse('2024-02-30T00:00:00Z');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('invalid calendar time');
  });
});
