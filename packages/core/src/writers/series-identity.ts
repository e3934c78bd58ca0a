import { createHash } from 'node:crypto';
import { SERIES_FIELDS, type SeriesField } from '../catalog/metric-tables.ts';

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

/** Whether two identities have equal fields (pointer-equal strings compare fastest). */
export function sameIdentity(a: SeriesIdentity, b: SeriesIdentity): boolean {
  return (
    a.name === b.name &&
    a.unit === b.unit &&
    a.description === b.description &&
    a.service === b.service &&
    a.resource === b.resource &&
    a.scope === b.scope
  );
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
export function seriesIdSql(c: Readonly<Record<SeriesField, string>>): string {
  const field = (expr: string) =>
    `coalesce(replace(${expr}, chr(31), chr(31) || chr(30)), chr(31) || chr(28))`;
  const fields = [c.name, c.unit, c.description, c.service, c.resource, c.scope, c.symbol, c.attributes];
  return `md5_number_lower(concat_ws(chr(31) || chr(29), ${fields.map(field).join(', ')}))`;
}

/** {@link seriesIdSql} over columns named as in `metric_series` (`name`, `unit`, ... `scope`). */
export const SERIES_ID_OF_COLUMNS = seriesIdSql(
  Object.fromEntries(SERIES_FIELDS.map((f) => [f, f])) as Record<SeriesField, string>,
);

/** Most series {@link SeriesIdCache} remembers before it starts over (bounds its memory). */
const MAX_CACHED_SERIES = 200_000;

/** One series: its id and identity, shared by every batch that holds points of it. */
export interface SeriesEntry {
  readonly id: bigint;
  readonly identity: SeriesIdentity;
  readonly symbol: string | null;
  readonly attributes: string;
  /** The last batch that recorded this series (see `MetricBatch`); lets a batch list each series once. */
  batchMark: number;
}

/** The series of one key prefix (one metric of one resource and scope). */
export interface SeriesIdScope {
  readonly prefix: string;
  readonly identity: SeriesIdentity;
  /**
   * The first series found per attributes text: one lookup per point, since decoders keep `symbol` among the
   * attributes (so the text decides the symbol). A series whose symbol differs is found in {@link bySymbol}.
   */
  readonly byAttributes: Map<string, SeriesEntry>;
  /** Every series by symbol (null included), then by attributes text. */
  readonly bySymbol: Map<string | null, Map<string, SeriesEntry>>;
}

/**
 * Memoizes series by key, so MD5 is computed once per series, not once per point. A writer looks up the scope of
 * a metric once per run of its points; per point one map lookup by the attributes text (usually interned, so its
 * hash is computed once) finds the series, two more when another series of the scope has the same text.
 * @example const scope = cache.scope(ctx); cache.entry(scope, 'BTC/USD', '{}').id;
 */
export class SeriesIdCache {
  private readonly byPrefix = new Map<string, SeriesIdScope>();
  /** The last scope found for an identity object (checked field by field: callers may mutate theirs). */
  private byObject = new WeakMap<SeriesIdentity, SeriesIdScope>();
  private size = 0;

  /** @param maxSeries most series remembered before starting over */
  constructor(private readonly maxSeries = MAX_CACHED_SERIES) {}

  /** The scope of a metric's identity (copied: callers may mutate theirs afterwards). */
  scope(identity: SeriesIdentity): SeriesIdScope {
    const known = this.byObject.get(identity);
    if (known && sameIdentity(known.identity, identity)) return known;
    const prefix = seriesKeyPrefix(identity);
    let scope = this.byPrefix.get(prefix);
    if (!scope) {
      scope = { prefix, identity: { ...identity }, byAttributes: new Map(), bySymbol: new Map() };
      this.byPrefix.set(prefix, scope);
    }
    this.byObject.set(identity, scope);
    return scope;
  }

  /** The series of a scope's metric with this symbol and attributes. */
  entry(scope: SeriesIdScope, symbol: string | null, attributes: string): SeriesEntry {
    const first = scope.byAttributes.get(attributes);
    if (first !== undefined && first.symbol === symbol) return first;
    let byAttributes = scope.bySymbol.get(symbol);
    const found = byAttributes?.get(attributes);
    if (found !== undefined) return found;
    const entry: SeriesEntry = {
      id: seriesIdOfKey(scope.prefix + SEPARATOR + seriesKeySuffix(symbol, attributes)),
      identity: scope.identity,
      symbol,
      attributes,
      batchMark: 0,
    };
    if (++this.size > this.maxSeries) {
      // Start over: later lookups get new scopes (batches being filled keep theirs until they are written).
      this.byPrefix.clear();
      this.byObject = new WeakMap();
      this.size = 0;
    }
    if (byAttributes === undefined) {
      byAttributes = new Map();
      scope.bySymbol.set(symbol, byAttributes);
    }
    byAttributes.set(attributes, entry);
    if (first === undefined) scope.byAttributes.set(attributes, entry);
    return entry;
  }
}

/** The process-wide series cache shared by every {@link MetricBatch} (ids depend only on the key). */
export const sharedSeriesIds = new SeriesIdCache();

/**
 * Series known to be stored in `metric_series` of one database, so writers send a series row only for new
 * series. Bounded: past `max` series it forgets everything (a forgotten series is sent again and ignored on
 * conflict); a series the cache dropped is a new entry and is sent again too.
 */
export class KnownSeries {
  private entries = new WeakSet<SeriesEntry>();
  private count = 0;
  constructor(private readonly max = 1_000_000) {}

  has(entry: SeriesEntry): boolean {
    return this.entries.has(entry);
  }

  /** Forgets every series (their rows may have been deleted): writers send them again. */
  clear(): void {
    this.entries = new WeakSet();
    this.count = 0;
  }

  /** Records series whose rows are committed. */
  addAll(entries: Iterable<SeriesEntry>): void {
    for (const entry of entries) {
      if (this.entries.has(entry)) continue;
      if (++this.count > this.max) {
        this.entries = new WeakSet();
        this.count = 1;
      }
      this.entries.add(entry);
    }
  }
}
