import { ValidationError } from '../errors/errors.ts';

const UNITS = {
  s: { name: 'second', seconds: 1 },
  m: { name: 'minute', seconds: 60 },
  h: { name: 'hour', seconds: 3600 },
  d: { name: 'day', seconds: 86_400 },
  w: { name: 'week', seconds: 604_800 },
  M: { name: 'month', seconds: 2_592_000 },
} as const;

type UnitKey = keyof typeof UNITS;

/**
 * A bucket width for time-bucketed queries, from one second to months: `1s`, `5m`, `1h`, `1d`, `1w`, `1M`.
 * Immutable; `sql` is a DuckDB interval literal body safe to bind as a parameter.
 * @example TimeInterval.parse('5m').seconds // 300
 */
export class TimeInterval {
  /** Number of units, e.g. 5 in `5m`. */
  readonly count: number;
  /** Unit letter: s, m, h, d, w or M (month). */
  readonly unit: UnitKey;
  private constructor(count: number, unit: UnitKey) {
    this.count = count;
    this.unit = unit;
    Object.freeze(this);
  }

  /** One second. */
  static readonly Second = new TimeInterval(1, 's');
  /** One minute. */
  static readonly Minute = new TimeInterval(1, 'm');
  /** Five minutes. */
  static readonly FiveMinutes = new TimeInterval(5, 'm');
  /** Fifteen minutes. */
  static readonly FifteenMinutes = new TimeInterval(15, 'm');
  /** One hour. */
  static readonly Hour = new TimeInterval(1, 'h');
  /** One day. */
  static readonly Day = new TimeInterval(1, 'd');
  /** One week. */
  static readonly Week = new TimeInterval(1, 'w');
  /** One month. */
  static readonly Month = new TimeInterval(1, 'M');

  /**
   * Parses `<n><unit>` (units s, m, h, d, w, M) or a `TimeInterval`.
   * @throws ValidationError on anything else.
   */
  static parse(input: string | TimeInterval, field = 'interval'): TimeInterval {
    if (input instanceof TimeInterval) return input;
    const m = /^(\d{1,6})(s|m|h|d|w|M)$/.exec(String(input).trim());
    if (!m || Number(m[1]) <= 0) {
      throw new ValidationError(field, 'expected an interval like 1s, 1m, 5m, 1h, 1d, 1w or 1M');
    }
    return new TimeInterval(Number(m[1]), m[2] as UnitKey);
  }

  /** Approximate width in seconds (a month counts as 30 days). */
  get seconds(): number {
    return this.count * UNITS[this.unit].seconds;
  }

  /** DuckDB interval text, e.g. `5 minute`. */
  get sql(): string {
    return `${this.count} ${UNITS[this.unit].name}`;
  }

  /** The short form, e.g. `5m`. */
  toString(): string {
    return `${this.count}${this.unit}`;
  }
}
