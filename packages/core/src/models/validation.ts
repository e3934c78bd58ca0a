import { z } from 'zod';
import { ValidationError } from '../errors/errors.ts';
import { parseTimestamp } from '../time/index.ts';

/** zod schema of a timestamp input (RFC 3339 text, unix ms, Date or bigint ns), parsed to unix nanoseconds. */
export const timestampSchema = z
  .union([z.string(), z.number(), z.bigint(), z.date()])
  .transform((value, ctx) => {
    try {
      return parseTimestamp(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^timestamp: /, '') });
      return z.NEVER;
    }
  });

/** zod schema of a finite number. */
export const finiteNumber = z.number().refine(Number.isFinite, 'must be a finite number');

/** zod schema of a short, non-empty identifier-like text (names, symbols, venues). */
export const nameText = (max = 256) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/**
 * Parses input with a zod schema, throwing a `ValidationError` that names the first bad field
 * (and the row, when `index` is given).
 * @example parseWith(candleSchema, body[3], 3)
 */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, index?: number): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'record';
  const message =
    issue?.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue?.message;
  throw new ValidationError(field, message ?? 'invalid value', index === undefined ? {} : { index });
}
