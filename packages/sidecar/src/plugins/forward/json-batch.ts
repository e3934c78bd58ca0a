import { JsonScanner } from '../../otlp/json-scanner.ts';
import type { OtlpSignal } from '../../otlp/otlp-signals.ts';

const RESOURCES: Record<OtlpSignal, string> = { metrics: 'resourceMetrics', logs: 'resourceLogs' };

/**
 * The items of an OTLP/JSON request's resource array as text (`[...]` without the brackets), when the request
 * holds nothing else, so that it can be joined with others; `undefined` otherwise (other members, another
 * spelling, not an object).
 * @example resourceItemsText(Buffer.from('{"resourceMetrics":[{"a":1}]}'), 'metrics') // '{"a":1}'
 */
export function resourceItemsText(body: Uint8Array, signal: OtlpSignal): string | undefined {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const text = bytes.toString('utf8', bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
  try {
    const s = new JsonScanner(text);
    let items = '';
    if (s.objectStart()) {
      do {
        if (s.key() !== RESOURCES[signal]) return undefined;
        s.peek();
        const start = s.pos;
        s.skipValue();
        const array = text.slice(start, s.pos).trim();
        if (!array.startsWith('[')) return undefined;
        items = array.slice(1, -1).trim();
      } while (s.objectNext());
    }
    s.end();
    return items;
  } catch {
    return undefined;
  }
}

/**
 * One OTLP/JSON request holding the resources of several (given as {@link resourceItemsText} results), in order.
 * @example joinJsonRequests(['{"a":1}', '{"b":2}'], 'metrics') // {"resourceMetrics":[{"a":1},{"b":2}]}
 */
export function joinJsonRequests(items: readonly string[], signal: OtlpSignal): Buffer {
  return Buffer.from(`{"${RESOURCES[signal]}":[${items.filter((i) => i.length > 0).join(',')}]}`, 'utf8');
}
