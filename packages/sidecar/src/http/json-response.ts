import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * JSON text of an API value: `Date` as RFC 3339, `bigint` as a number when it is exact, else as a string,
 * bytes as `{ "$base64": "..." }`.
 * @example jsonText({ n: 1n, t: new Date(0) }) // '{"n":1,"t":"1970-01-01T00:00:00.000Z"}'
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, replacer);
}

/**
 * A JSON response from a value that may hold bigints and dates (see {@link jsonText}).
 * @example return jsonResponse(c, { data: rows, truncated: false });
 */
export function jsonResponse(
  c: Context,
  value: unknown,
  status: ContentfulStatusCode = 200,
  headers: Record<string, string> = {},
): Response {
  return c.body(jsonText(value), status, { 'content-type': 'application/json; charset=utf-8', ...headers });
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Uint8Array) return { $base64: Buffer.from(value).toString('base64') };
  return value;
}
