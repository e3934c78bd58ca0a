import { createHash } from 'node:crypto';

/**
 * Identity of a metric series: everything a point shares with the other points of its series. Stored once per
 * series in `metric_series`; points carry only the 64-bit `series_id` derived from these fields.
 */
export interface SeriesIdentity {
  name: string;
  unit: string;
  description: string;
  /** `service.name` of the resource, or null. */
  service: string | null;
  /** Resource as JSON text. */
  resource: string;
  /** Scope as JSON text. */
  scope: string;
}

// Fields are joined by SEPARATOR; inside a field every U+001F becomes U+001F U+001E and NULL is U+001F U+001C,
// so no two different field lists give the same key.
const UNIT_SEPARATOR = '\u001f';
const SEPARATOR = '\u001f\u001d';
const ESCAPED = '\u001f\u001e';
const NULL_FIELD = '\u001f\u001c';

function escapeField(value: string | null): string {
  if (value === null) return NULL_FIELD;
  return value.includes(UNIT_SEPARATOR) ? value.replaceAll(UNIT_SEPARATOR, ESCAPED) : value;
}

/** The part of a series key shared by every point of one metric (all fields but symbol and attributes). */
export function seriesKeyPrefix(s: SeriesIdentity): string {
  return [s.name, s.unit, s.description, s.service, s.resource, s.scope].map(escapeField).join(SEPARATOR);
}

/** The part of a series key that varies per point. */
export function seriesKeySuffix(symbol: string | null, attributes: string): string {
  return escapeField(symbol) + SEPARATOR + escapeField(attributes);
}

/**
 * The series id of a key: the MD5 of its UTF-8 bytes, bytes 8..15 read as a little-endian unsigned 64-bit
 * integer — the same number DuckDB's `md5_number_lower(key)` gives, so SQL imports and the writers agree.
 */
export function seriesIdOfKey(key: string): bigint {
  return createHash('md5').update(key, 'utf8').digest().readBigUInt64LE(8);
}

/**
 * SQL computing the series id from column expressions, equal to {@link seriesIdOfKey} of the same fields.
 * @example seriesIdSql({ name: 'name', unit: 'unit', ... }) // md5_number_lower(concat_ws(...))
 */
export function seriesIdSql(c: Record<keyof SeriesIdentity | 'symbol' | 'attributes', string>): string {
  const field = (expr: string) =>
    `coalesce(replace(${expr}, chr(31), chr(31) || chr(30)), chr(31) || chr(28))`;
  const fields = [c.name, c.unit, c.description, c.service, c.resource, c.scope, c.symbol, c.attributes];
  return `md5_number_lower(concat_ws(chr(31) || chr(29), ${fields.map(field).join(', ')}))`;
}

/** Most keys {@link SeriesIdCache} remembers before it starts over (bounds its memory). */
const MAX_CACHED_KEYS = 500_000;

/** The ids of one key prefix (one metric of one resource and scope), by key suffix. */
export interface SeriesIdScope {
  readonly prefix: string;
  readonly ids: Map<string, bigint>;
}

/**
 * Memoizes series ids by key, so MD5 is computed once per series, not once per point. A writer looks up the
 * scope of a metric once per run of its points; per point only symbol and attributes are hashed.
 * @example const scope = cache.scope(seriesKeyPrefix(ctx)); cache.id(scope, 'BTC/USD', '{}');
 */
export class SeriesIdCache {
  private readonly byPrefix = new Map<string, SeriesIdScope>();
  private size = 0;

  /** The scope of a key prefix (see {@link seriesKeyPrefix}). */
  scope(prefix: string): SeriesIdScope {
    let scope = this.byPrefix.get(prefix);
    if (!scope) {
      scope = { prefix, ids: new Map() };
      this.byPrefix.set(prefix, scope);
    }
    return scope;
  }

  /** The series id of a scope's metric with this symbol and attributes. */
  id(scope: SeriesIdScope, symbol: string | null, attributes: string): bigint {
    const suffix = seriesKeySuffix(symbol, attributes);
    let id = scope.ids.get(suffix);
    if (id === undefined) {
      id = seriesIdOfKey(scope.prefix + SEPARATOR + suffix);
      if (++this.size > MAX_CACHED_KEYS) {
        // Start over; scopes already handed out keep working, they are just no longer shared.
        this.byPrefix.clear();
        this.size = 0;
      }
      scope.ids.set(suffix, id);
    }
    return id;
  }
}

/** The process-wide id cache shared by every {@link MetricBatch} (ids depend only on the key). */
export const sharedSeriesIds = new SeriesIdCache();

/**
 * Series ids known to be stored in `metric_series` of one database, so writers send a series row only for new
 * series. Bounded: past `max` ids it forgets everything (a forgotten series is sent again and ignored on conflict).
 */
export class KnownSeries {
  private ids = new Set<bigint>();
  constructor(private readonly max = 1_000_000) {}

  has(id: bigint): boolean {
    return this.ids.has(id);
  }

  /** Records ids whose rows are committed. */
  addAll(ids: Iterable<bigint>): void {
    for (const id of ids) {
      if (this.ids.size >= this.max) this.ids = new Set();
      this.ids.add(id);
    }
  }
}
