import { ValidationError } from '../errors/errors.ts';
import { quoteIdent } from '../query/compiled-query.ts';
import type { Fragment } from './asof-sources.ts';

/**
 * A window over the buckets of one group, in bucket order:
 * - `moving_avg`: average of the non-NULL values of the last `buckets` buckets (this one included);
 * - `cumsum`: running sum of the values (NULL ones count as 0; NULL before the first value) — a P&L curve from
 *   per-bucket P&L;
 * - `drawdown`: value minus its running peak (≤ 0; 0 at a new high); with `cumulative`, of the running sum instead.
 * With gap fill `none`, "buckets" are the rows present; fill to count empty buckets too.
 */
export type BucketWindow =
  | { kind: 'moving_avg'; buckets: number }
  | { kind: 'cumsum' }
  | { kind: 'drawdown'; cumulative?: boolean };

/** The window kinds. */
export const BUCKET_WINDOWS = ['moving_avg', 'cumsum', 'drawdown'] as const;

/**
 * Checks a window spec (at most 10,000 buckets for a moving average).
 * @example checkWindow({ kind: 'moving_avg', buckets: 5 })
 */
export function checkWindow(window: BucketWindow): BucketWindow {
  if (!BUCKET_WINDOWS.includes(window?.kind)) {
    throw new ValidationError('window', `must be one of ${BUCKET_WINDOWS.join(', ')}`);
  }
  if (
    window.kind === 'moving_avg' &&
    !(Number.isInteger(window.buckets) && window.buckets >= 1 && window.buckets <= 10_000)
  ) {
    throw new ValidationError('window', 'a moving average needs 1 to 10000 buckets');
  }
  return { ...window };
}

/**
 * Adds a `windowed` column (the window over `value`, NULL without a window) to the rows of `source`, computed per
 * group in bucket order; the rows keep their order.
 * @example withWindow(filled, { kind: 'cumsum' }, { value: 'value', bucket: 'bucket', groups: ['group'] })
 */
export function withWindow(
  source: Fragment,
  window: BucketWindow | undefined,
  names: { value: string; bucket: string; groups: readonly string[] },
): Fragment {
  const value = quoteIdent(names.value);
  const bucket = quoteIdent(names.bucket);
  const groups = names.groups.map(quoteIdent);
  const w = `WINDOW w AS (PARTITION BY ${groups.length > 0 ? groups.join(', ') : 'NULL'} ORDER BY ${bucket})`;
  const order = `ORDER BY ${[bucket, ...groups].join(', ')}`;
  const cumulative = window?.kind === 'drawdown' && window.cumulative;
  const expression = cumulative ? windowSql(window, '_cum') : windowSql(window, value);
  const from = cumulative
    ? `(SELECT *, sum(${value}) OVER (w ROWS UNBOUNDED PRECEDING) AS _cum FROM f ${w})`
    : 'f';
  return {
    sql: `WITH f AS (${source.sql})
SELECT ${cumulative ? '* EXCLUDE (_cum)' : '*'}, ${expression} AS windowed FROM ${from} ${w} ${order}`,
    params: source.params,
  };
}

/**
 * The SQL expression of a window over `value` (already quoted) within the named window `w` (partition and order).
 * @example windowSql({ kind: 'cumsum' }, 'value') // 'sum(value) OVER (w ROWS UNBOUNDED PRECEDING)'
 */
export function windowSql(window: BucketWindow | undefined, value: string): string {
  const running = (expr: string) => `${expr} OVER (w ROWS UNBOUNDED PRECEDING)`;
  switch (window?.kind) {
    case 'moving_avg':
      return `avg(${value}) OVER (w ROWS BETWEEN ${window.buckets - 1} PRECEDING AND CURRENT ROW)`;
    case 'cumsum':
      return running(`sum(${value})`);
    case 'drawdown':
      return `${value} - ${running(`max(${value})`)}`;
    default:
      return 'NULL::DOUBLE';
  }
}
