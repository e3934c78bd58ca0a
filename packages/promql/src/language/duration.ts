import { PromqlParseError } from './errors.ts';

const UNIT_MS: Readonly<Record<string, number>> = {
  y: 365 * 24 * 3600_000,
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/**
 * Parses a Prometheus duration (`1h30m`, `5m`, `90s`, `1d`, `1w`, `1y` = 365d, `250ms`; units in this order,
 * each at most once) to integer milliseconds.
 * @example parseDuration('1h30m') // 5_400_000
 */
export function parseDuration(text: string): number {
  const re = /(\d+)(ms|y|w|d|h|m|s)/y;
  let total = 0;
  let pos = 0;
  let lastUnit = -1;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    const unit = ORDER.indexOf(m?.[2] ?? '');
    if (!m || unit <= lastUnit) throw new PromqlParseError(`not a valid duration string: "${text}"`);
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    lastUnit = unit;
    pos = re.lastIndex;
  }
  if (pos === 0 || !Number.isSafeInteger(total)) {
    throw new PromqlParseError(`not a valid duration string: "${text}"`);
  }
  return total;
}
