import { PER_UNIT_WORDS, UNIT_WORDS } from './name-mapping.ts';
import { sqlLookup, sqlString } from './sql-text.ts';

/*
 * The SQL side of the OTLP -> Prometheus mapping (see name-mapping.ts for the rules and the TypeScript side).
 * Labels are a DuckDB MAP(VARCHAR, VARCHAR) whose entries are sorted by key, so that equal label sets are equal
 * values (grouping and joins compare them directly). Empty values are never stored: Prometheus treats an
 * empty label as an absent one.
 */

/** Labels derived from the resource and the series columns; attributes mapping to these names are dropped. */
const RESERVED_LABELS = ['__name__', 'job', 'instance', 'symbol'];

const sanitizeMetricSql = (x: string) =>
  `(CASE WHEN regexp_matches(${x}, '^[0-9]') THEN '_' ELSE '' END || regexp_replace(${x}, '[^a-zA-Z0-9_:]+', '_', 'g'))`;

const sanitizeLabelSql = (x: string) =>
  `(CASE WHEN regexp_matches(${x}, '^[0-9]') THEN 'key_' ELSE '' END || regexp_replace(${x}, '[^a-zA-Z0-9_]+', '_', 'g'))`;

const unitWordSql = (x: string) => `trim(regexp_replace(${x}, '[^a-zA-Z0-9_:]+', '_', 'g'), '_')`;

/**
 * The sanitized point attributes of a `metric_series` row as (raw name, label name, value) pairs sorted by raw
 * name, computed on the row itself (list functions, no unnest and regroup): `symbol`, reserved names and empty
 * values dropped. Attributes whose names sanitize alike are joined with `;` in raw-name order afterwards.
 */
function attributePairsSql(): string {
  return `list_sort(list_filter(list_transform(json_keys(attributes), raw -> {'raw': raw, 'key': ${sanitizeLabelSql('raw')},
      'value': json_extract_string(attributes, '/' || replace(replace(raw, '~', '~0'), '/', '~1'))}),
    p -> p.raw <> 'symbol' AND p.key NOT IN (${RESERVED_LABELS.map(sqlString).join(', ')}) AND coalesce(p.value, '') <> ''))`;
}

/** The label entries of the attribute pairs column `pairs` (see {@link attributePairsSql}). */
function attributeEntriesSql(pairs: string): string {
  const keys = `list_transform(${pairs}, p -> p.key)`;
  return `CASE WHEN len(list_distinct(${keys})) = len(${pairs})
      THEN list_transform(${pairs}, p -> {'key': p.key, 'value': p.value})
      ELSE list_transform(list_sort(list_distinct(${keys})), k -> {'key': k,
        'value': array_to_string(list_transform(list_filter(${pairs}, p -> p.key = k), p -> p.value), ';')}) END`;
}

/**
 * A relation with one row per series of `metric_series` (those whose id is in `idsSql` when given):
 * `series_id`, `base` (the sanitized name with its unit suffix), `bare_unit` (the unit without annotations)
 * and `entries` (the label entries but `__name__`: job, instance, symbol and the sanitized point attributes,
 * colliding attribute names joined with `;` in key order). One scan, every column computed on its row.
 * @example `WITH s AS (${seriesLabelsSql()}) SELECT * FROM s`
 */
export function seriesLabelsSql(idsSql?: string): string {
  const mainWord = `(CASE WHEN um IN (${Object.keys(UNIT_WORDS).map(sqlString).join(', ')}) THEN ${sqlLookup('um', UNIT_WORDS, "''")} ELSE ${unitWordSql('um')} END)`;
  const perWord = `(CASE WHEN up IN (${Object.keys(PER_UNIT_WORDS).map(sqlString).join(', ')}) THEN ${sqlLookup('up', PER_UNIT_WORDS, "''")} ELSE ${unitWordSql('up')} END)`;
  const job = `(CASE WHEN coalesce(json_extract_string(resource, '$.attributes."service.namespace"'), '') <> '' THEN json_extract_string(resource, '$.attributes."service.namespace"') || '/' || service ELSE service END)`;
  const instance = `json_extract_string(resource, '$.attributes."service.instance.id"')`;
  return `SELECT series_id, bare_unit,
    n0 || CASE WHEN suffix <> '' AND NOT ends_with(n0, '_' || suffix) AND n0 <> suffix THEN '_' || suffix ELSE '' END AS base,
    [{'key': 'job', 'value': ${job}}, {'key': 'instance', 'value': ${instance}}, {'key': 'symbol', 'value': symbol}]
      || ${attributeEntriesSql('attr_pairs')} AS entries
  FROM (
    SELECT *, CASE WHEN pw = '' THEN mw WHEN mw = '' THEN 'per_' || pw ELSE mw || '_per_' || pw END AS suffix
    FROM (
      SELECT *, ${mainWord} AS mw, ${perWord} AS pw
      FROM (
        SELECT *, CASE WHEN strpos(bare_unit, '/') > 0 THEN split_part(bare_unit, '/', 1) ELSE bare_unit END AS um,
          CASE WHEN strpos(bare_unit, '/') > 0 THEN substr(bare_unit, strpos(bare_unit, '/') + 1) ELSE '' END AS up
        FROM (
          SELECT series_id, symbol, service, resource, ${sanitizeMetricSql('name')} AS n0,
            trim(regexp_replace(unit, '\\{[^}]*\\}', '', 'g')) AS bare_unit, ${attributePairsSql()} AS attr_pairs
          FROM metric_series${idsSql === undefined ? '' : ` WHERE series_id IN (${idsSql})`}
        )
      )
    )
  )`;
}

/**
 * The `__name__` of a scalar series from its base name: `_total` for monotonic cumulative sums, `_ratio` for
 * gauges of unit `1` (both unless already there).
 * @example scalarMetricNameSql('s.base', 's.bare_unit', 'p.kind', 'p.is_monotonic')
 */
export function scalarMetricNameSql(base: string, bareUnit: string, kind: string, monotonic: string): string {
  return `(${base} || CASE WHEN ${kind} = 2 AND ${monotonic} AND NOT ends_with(${base}, '_total') THEN '_total'
    WHEN ${kind} = 1 AND ${bareUnit} = '1' AND NOT ends_with(${base}, '_ratio') THEN '_ratio' ELSE '' END)`;
}

/**
 * The label MAP from label entries plus a `__name__`: empty values dropped, entries sorted by key.
 * @example labelsMapSql("s.entries", "s.base || '_count'")
 */
export function labelsMapSql(entries: string, name: string): string {
  return `map_from_entries(list_sort(list_filter([{'key': '__name__', 'value': ${name}}] || ${entries}, e -> coalesce(e.value, '') <> '')))`;
}
