/**
 * Formats milliseconds for a table: one decimal below 100 ms, whole numbers with thousands separators above.
 * @example formatMs(3.14159) // '3.1'; formatMs(26914.2) // '26,914'
 */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'n/a';
  return ms < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US');
}

/**
 * Formats a count with thousands separators.
 * @example formatCount(1234567.8) // '1,234,568'
 */
export function formatCount(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return 'n/a';
  return Math.round(n).toLocaleString('en-US');
}

/**
 * Formats a ratio with two significant decimals and a multiplication sign.
 * @example formatRatio(0.8612) // '0.86×'; formatRatio(64.2) // '64×'
 */
export function formatRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return 'n/a';
  return `${r >= 10 ? Math.round(r).toLocaleString('en-US') : r.toFixed(2)}×`;
}

/**
 * Formats bytes in binary units.
 * @example formatBytes(22_032_384) // '21.0 MiB'
 */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return 'n/a';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}
