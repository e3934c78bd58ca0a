import { parseDuration } from '@duckside/promql';
import type { Context } from 'hono';
import { readBody } from '../../http/body-reader.ts';
import { PrometheusApiError } from './api-reply.ts';

/**
 * The parameters of one Prometheus API call: the URL's query string plus, for POST, an
 * `application/x-www-form-urlencoded` body (as Go's `r.Form`: both, body values first).
 * @example const p = await ApiParams.read(c, 1 << 20); p.get('query');
 */
export class ApiParams {
  private constructor(private readonly values: URLSearchParams) {}

  /** Reads the URL and, for POST, the form body (at most `maxBodyBytes`). */
  static async read(c: Context, maxBodyBytes: number): Promise<ApiParams> {
    const values = new URLSearchParams();
    if (c.req.method === 'POST') {
      const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded' && type !== '') {
        throw new PrometheusApiError(
          'bad_data',
          `unsupported Content-Type "${type}": use application/x-www-form-urlencoded`,
        );
      }
      for (const [k, v] of new URLSearchParams((await readBody(c, maxBodyBytes)).toString('utf8')))
        values.append(k, v);
    }
    for (const [k, v] of new URL(c.req.url).searchParams) values.append(k, v);
    return new ApiParams(values);
  }

  /** The first value of `name`, or undefined. */
  get(name: string): string | undefined {
    return this.values.get(name) ?? undefined;
  }

  /** Every value of `name` (e.g. `match[]`). */
  all(name: string): string[] {
    return this.values.getAll(name);
  }

  /** A required value, else `bad_data` as Prometheus words it. */
  required(name: string): string {
    const value = this.get(name);
    if (value === undefined || value === '')
      throw new PrometheusApiError('bad_data', `invalid parameter "${name}": missing`);
    return value;
  }

  /** A time parameter in ms (RFC 3339 or unix seconds with fractions), or `fallback` when absent. */
  time(name: string, fallback: number): number {
    return this.parsed(name, parseApiTime, 'timestamp') ?? fallback;
  }

  /** A duration parameter in ms (a Prometheus duration or float seconds), or undefined when absent. */
  duration(name: string): number | undefined {
    return this.parsed(name, parseApiDuration, 'duration');
  }

  private parsed(
    name: string,
    parse: (text: string) => number | undefined,
    what: string,
  ): number | undefined {
    const text = this.get(name);
    if (text === undefined || text === '') return undefined;
    const ms = parse(text);
    if (ms === undefined) {
      throw new PrometheusApiError(
        'bad_data',
        `invalid parameter "${name}": cannot parse "${text}" to a valid ${what}`,
      );
    }
    return ms;
  }
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * A Prometheus API time in unix ms: unix seconds with fractions (`1700000000.5`) or RFC 3339; undefined if neither.
 * @example parseApiTime('2024-03-01T12:00:00Z') // 1709294400000
 */
export function parseApiTime(text: string): number | undefined {
  const seconds = Number(text);
  if (text.trim() !== '' && Number.isFinite(seconds)) return Math.round(seconds * 1000);
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A Prometheus API duration in ms: float seconds (`30`, `1.5`) or a Prometheus duration (`5m`, `1h30m`).
 * @example parseApiDuration('1.5') // 1500
 */
export function parseApiDuration(text: string): number | undefined {
  const seconds = Number(text);
  if (text.trim() !== '' && Number.isFinite(seconds)) return Math.round(seconds * 1000);
  try {
    return parseDuration(text);
  } catch {
    return undefined;
  }
}
