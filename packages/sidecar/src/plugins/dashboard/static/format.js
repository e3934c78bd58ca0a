// Number, size and time formatting shared by the panels.

const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A value as shown in legends: grouped digits, up to 8 decimals; '—' for null. */
export function formatValue(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return plain.format(value);
}

/** A count in short form: 1.2K, 3.4M. */
export function formatCount(value) {
  if (value === null || value === undefined) return '—';
  return value < 10_000 ? plain.format(Math.round(value)) : compact.format(value);
}

/** Bytes as B, KiB, MiB, GiB. */
export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Rows per second, e.g. '1.2K rows/s'. */
export function formatRate(perSecond) {
  if (perSecond === null || perSecond === undefined) return '—';
  return `${perSecond < 10 ? perSecond.toFixed(1) : formatCount(perSecond)} rows/s`;
}

/** A time in UTC: 'YYYY-MM-DD HH:MM:SS'. */
export function formatTime(ms) {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
