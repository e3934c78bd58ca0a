/**
 * The delay a `Retry-After` header asks for, in milliseconds (delta-seconds or an HTTP date), or `undefined`
 * when it is missing or unreadable.
 * @example retryAfterMs('2') // 2000
 */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
