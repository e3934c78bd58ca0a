import { ValidationError } from '../errors/errors.ts';
import { TimeInterval } from '../time/index.ts';

/** One rollup level: its bucket width. */
export interface RollupLevel {
  /** The width as an interval (`1m`, `1h`). */
  readonly interval: TimeInterval;
  /** The width in seconds. */
  readonly seconds: number;
  /** The short name, e.g. `1h` (what `source: "rollup:1h"` names). */
  readonly label: string;
}

/** The levels maintained unless configured otherwise: 1 minute and 1 hour. */
export const DEFAULT_ROLLUP_LEVELS: readonly string[] = Object.freeze(['1m', '1h']);

const DAY = 86_400;

/**
 * Checks and orders rollup levels: each a width in seconds, minutes, hours or days that divides a day (or is one
 * day), finest first, each a multiple of the one below. Buckets are aligned to the unix epoch, as `time_bucket`'s
 * are for such widths. An empty list turns rollups off.
 * @throws ValidationError (field `rollupLevels`) otherwise.
 * @example rollupLevels(['1h', '1m']).map((l) => l.label) // ['1m', '1h']
 */
export function rollupLevels(levels: readonly (string | TimeInterval)[]): readonly RollupLevel[] {
  const parsed = levels.map((l) => TimeInterval.parse(l, 'rollupLevels'));
  const sorted = [...parsed].sort((a, b) => a.seconds - b.seconds);
  const result: RollupLevel[] = [];
  for (const interval of sorted) {
    const seconds = interval.seconds;
    if (!['s', 'm', 'h', 'd'].includes(interval.unit) || (DAY % seconds !== 0 && seconds !== DAY)) {
      throw new ValidationError('rollupLevels', `${interval} must divide one day (s, m, h or 1d)`);
    }
    const below = result.at(-1);
    if (below && (seconds === below.seconds || seconds % below.seconds !== 0)) {
      throw new ValidationError('rollupLevels', `${interval} must be a multiple of ${below.label}`);
    }
    result.push(Object.freeze({ interval, seconds, label: interval.toString() }));
  }
  return Object.freeze(result);
}

/**
 * Whether a query's buckets of width `interval` are unions of a level's buckets (so the level can answer them):
 * months always are (a level divides a day), other widths when they are a multiple of the level.
 * @example coversInterval(level1h, TimeInterval.parse('4h')) // true
 */
export function coversInterval(level: RollupLevel, interval: TimeInterval): boolean {
  if (interval.unit === 'M') return true;
  return interval.seconds % level.seconds === 0;
}

/**
 * The coarsest level whose buckets make up the query's buckets, or undefined.
 * @example coarsestLevel(levels, TimeInterval.Day)?.label // '1h'
 */
export function coarsestLevel(
  levels: readonly RollupLevel[],
  interval: TimeInterval,
): RollupLevel | undefined {
  return [...levels].reverse().find((l) => coversInterval(l, interval));
}
