const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};
const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/**
 * Parses a duration: a number of milliseconds, or text like `500ms`, `5s`, `1m`, `12h`, `30d`, `2w`.
 * Returns undefined when the text is not a duration.
 * @example parseDuration('30d') // 2_592_000_000
 */
export function parseDuration(input: unknown): number | undefined {
  return parseWithUnits(input, DURATION_UNITS, /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/);
}

/**
 * Parses a size: a number of bytes, or text like `512KiB`, `16MiB`, `1GB`.
 * Returns undefined when the text is not a size.
 * @example parseBytes('16MiB') // 16_777_216
 */
export function parseBytes(input: unknown): number | undefined {
  return parseWithUnits(input, BYTE_UNITS, /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|kib|mib|gib)?$/i);
}

function parseWithUnits(input: unknown, units: Record<string, number>, pattern: RegExp): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  if (typeof input !== 'string') return undefined;
  const m = pattern.exec(input.trim());
  if (!m) return undefined;
  const unit = (m[2] ?? Object.keys(units)[0] ?? '').toLowerCase();
  const factor = units[unit] ?? units[m[2] ?? ''];
  return factor === undefined ? undefined : Math.round(Number(m[1]) * factor);
}
