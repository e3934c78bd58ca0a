import { isIP } from 'node:net';

/**
 * True when a listen address only accepts local connections: `localhost`, 127.0.0.0/8, `::1` (in any
 * spelling, also IPv4-mapped `::ffff:127.x.y.z`). `0.0.0.0`, `::` and every other address or name are not.
 * @example isLoopbackHost('127.0.0.1') // true
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) !== 6) return false;
  const normal = new URL(`http://[${h}]/`).hostname.slice(1, -1);
  return normal === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(normal);
}
