import { ValidationError } from '@duckside/core';

const LABEL_PREFIX = 'label.';

/**
 * URL query parameters checked against an allowlist: an unknown or repeated parameter is a `ValidationError`
 * (400) naming it. With `labels: true`, `label.<key>=<value>` parameters are collected as label filters.
 * @example
 * const p = QueryParams.parse(new URL(c.req.url), ['name', 'limit'], { labels: true });
 * p.string('name'); p.int('limit'); p.labels; // { exchange: 'kraken' }
 */
export class QueryParams {
  /** `label.<key>` filters, when allowed. */
  readonly labels: Readonly<Record<string, string>>;

  private constructor(
    private readonly values: ReadonlyMap<string, string>,
    labels: Record<string, string>,
  ) {
    this.labels = Object.freeze(labels);
  }

  /** Checks and collects the parameters of `url`. */
  static parse(url: URL, allowed: readonly string[], options: { labels?: boolean } = {}): QueryParams {
    const values = new Map<string, string>();
    const labels: Record<string, string> = {};
    const seen = new Set<string>();
    for (const [name, value] of url.searchParams) {
      if (seen.has(name)) throw new ValidationError(name, 'query parameter given more than once');
      seen.add(name);
      if (options.labels && name.startsWith(LABEL_PREFIX) && name.length > LABEL_PREFIX.length) {
        labels[name.slice(LABEL_PREFIX.length)] = value;
      } else if (allowed.includes(name)) {
        values.set(name, value);
      } else {
        const known = [...allowed, ...(options.labels ? ['label.<key>'] : [])];
        throw new ValidationError(
          name,
          `unknown query parameter${known.length > 0 ? ` (allowed: ${known.join(', ')})` : ''}`,
        );
      }
    }
    return new QueryParams(values, labels);
  }

  /** The raw value, or undefined when absent. */
  string(name: string): string | undefined {
    return this.values.get(name);
  }

  /** The value, required. */
  required(name: string): string {
    const v = this.values.get(name);
    if (v === undefined || v === '') throw new ValidationError(name, 'is required');
    return v;
  }

  /** A non-negative integer, or undefined when absent. */
  int(name: string): number | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (!/^\d{1,9}$/.test(v)) throw new ValidationError(name, 'must be a non-negative integer');
    return Number(v);
  }

  /** One of `choices`, or undefined when absent. */
  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (!(choices as readonly string[]).includes(v)) {
      throw new ValidationError(name, `must be one of ${choices.join(', ')}`);
    }
    return v as T;
  }

  /** A comma-separated list whose items are all in `choices`, or undefined when absent. */
  list<T extends string>(name: string, choices: readonly T[]): T[] | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    const items = v.split(',').map((s) => s.trim());
    for (const item of items) {
      if (!(choices as readonly string[]).includes(item)) {
        throw new ValidationError(name, `items must be among ${choices.join(', ')}`);
      }
    }
    return items as T[];
  }
}
