import { ValidationError } from '../errors/errors.ts';

const UNIT_MICROS = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000 } as const;
/** Longest accepted duration: one day. */
const MAX_MICROS = 86_400_000_000;

/** A fixed time span (tolerances, markout horizons), kept in microseconds: the precision of `ts` columns. */
export interface Duration {
  /** Whole microseconds, > 0. */
  readonly micros: number;
  /** The text it was parsed from, normalized, e.g. `5s`. */
  readonly text: string;
  /** DuckDB interval text to bind as `?::INTERVAL`, e.g. `5000000 microseconds`. */
  readonly sql: string;
}

/**
 * Parses `<n><unit>` with units `us`, `ms`, `s`, `m`, `h` (at most one day) or a number of milliseconds.
 * @throws ValidationError for anything else, zero or negative spans.
 * @example parseDuration('250ms').micros // 250000
 */
export function parseDuration(input: string | number | Duration, field = 'duration'): Duration {
  if (typeof input === 'object') return input;
  const m =
    typeof input === 'number'
      ? [String(input), String(input), 'ms']
      : /^(\d{1,9}(?:\.\d{1,6})?)(us|ms|s|m|h)$/.exec(String(input).trim());
  const micros = m ? Math.round(Number(m[1]) * UNIT_MICROS[m[2] as keyof typeof UNIT_MICROS]) : Number.NaN;
  if (!m || !Number.isFinite(micros) || micros <= 0 || micros > MAX_MICROS) {
    throw new ValidationError(
      field,
      'expected a duration like 250ms, 1s, 5m or 1h (more than 0, at most 1 day)',
    );
  }
  return Object.freeze({ micros, text: `${m[1]}${m[2]}`, sql: `${micros} microseconds` });
}

/**
 * Parses a comma-separated list (or array) of durations, e.g. markout horizons, keeping their order.
 * @example parseDurations('1s,5s,60s').map((d) => d.micros) // [1e6, 5e6, 6e7]
 */
export function parseDurations(
  input: string | readonly (string | number | Duration)[],
  field: string,
  max = 10,
): Duration[] {
  const items = typeof input === 'string' ? input.split(',').map((s) => s.trim()) : [...input];
  if (items.length === 0 || items.length > max) {
    throw new ValidationError(field, `expected 1 to ${max} durations`);
  }
  return items.map((item) => parseDuration(item, field));
}
