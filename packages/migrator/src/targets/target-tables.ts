import { SEVERITIES } from '@duckside/core';
import {
  type Column,
  columnList,
  METRIC_SERIES,
  OTLP_LOG_COLUMNS,
  SCALAR_KIND,
  SERIES_FIELDS,
  type SeriesField,
  type SqlType,
  SYSTEM_EVENTS,
  type Table,
  TRADING_CANDLES,
  TRADING_TRADES,
  writtenColumns,
} from '@duckside/core/catalog';
import { SERIES_ID_OF_COLUMNS } from '@duckside/core/ingest';
import { sqlString } from '../sql/sql-text.ts';

/** Value types of importable fields (how sources cast them). */
export type FieldType = 'timestamp' | 'double' | 'text' | 'json';

/** A Duckside column that an import fills from the source (the key of `--map`). */
export interface TargetField {
  readonly name: string;
  readonly type: FieldType;
  /** Rows without a value are bad rows. */
  readonly required: boolean;
  /** SQL literal used when the field is not mapped (ignored for required fields). */
  readonly fallback: string;
  /** SQL that normalizes the (typed) value `x`, e.g. lower-casing a side. */
  readonly normalize?: (x: string) => string;
  /** SQL condition on the normalized value `x` that is true when a present value is invalid, and why. */
  readonly invalid?: { when: (x: string) => string; reason: string };
}

/** The Duckside tables an import can write. */
export type TargetName = 'trading_metrics' | 'trading_candles' | 'trading_trades' | 'system_events';

/** An import target: its fields and how rows of a normalized relation are inserted. */
export interface TargetTable {
  readonly name: TargetName;
  readonly fields: readonly TargetField[];
  /** Column summed per day by verification (null: counts only). */
  readonly sumColumn: string | null;
  /**
   * INSERT statement reading `relation` (one column per field, normalized). `resource` is the JSON text of the
   * resource naming the import source (used by metrics).
   */
  insertSql(relation: string, resource: string): string;
  /**
   * Fields that identify a series. A source that can group its rows by them calls `keyedInsertSql` instead of
   * `insertSql`, so that per-series work (ids, dedupe) runs once per key rather than once per row.
   */
  readonly keyFields?: readonly string[];
  /**
   * INSERT statements from `keys` (a column `duckside_key` and one column per key field, one row per key) and
   * `points` (`duckside_key` and the other fields, one row per source row), both normalized like `insertSql`'s.
   */
  keyedInsertSql?(keys: string, points: string, resource: string): string;
  /** SQL condition selecting the rows of this import in the target for verification (null: all rows). */
  ownRows(resource: string): string | null;
  /**
   * Statements copying `relation`, which has every column of the table (as `export parquet` wrote it), when a
   * plain INSERT of those columns cannot (the metrics view). Absent: a plain INSERT.
   */
  copySql?(relation: string): string;
}

/** What an import does with a field beyond what its catalog column says. */
interface FieldPolicy extends Pick<TargetField, 'normalize' | 'invalid'> {
  /** SQL literal for rows without a value (makes an otherwise required field optional). */
  readonly fallback?: string;
}

const FIELD_TYPES: Readonly<Partial<Record<SqlType, FieldType>>> = {
  TIMESTAMP: 'timestamp',
  DOUBLE: 'double',
  VARCHAR: 'text',
};

/**
 * The import field of a catalog column: required when the column is NOT NULL without a default, else falling back
 * to the policy's literal, the column's default or NULL.
 */
function importField(c: Column, policy: FieldPolicy = {}): TargetField {
  const type = c.json ? 'json' : FIELD_TYPES[c.type];
  if (!type) throw new Error(`${c.name} (${c.type}) cannot be imported`);
  const { fallback, ...extra } = policy;
  return {
    name: c.name,
    type,
    required: fallback === undefined && !c.nullable && c.default === null,
    fallback: fallback ?? c.default ?? 'NULL',
    ...extra,
  };
}

/** The import fields of a table: `ts` first (the mapping's time field), then its written columns in table order. */
function tableFields(
  t: Table,
  policies: Readonly<Record<string, FieldPolicy>>,
  skip: readonly string[] = [],
) {
  const columns = writtenColumns(t).filter((c) => !skip.includes(c.name));
  const ordered = [...columns.filter((c) => c.name === 'ts'), ...columns.filter((c) => c.name !== 'ts')];
  return ordered.map((c) => importField(c, policies[c.name]));
}

const columnsOf = (fields: readonly TargetField[]) => fields.map((f) => f.name).join(', ');

/** Fields of an application metric: time and value of the point, and the series it belongs to. */
const METRIC_FIELDS = ['ts', 'name', 'value', 'symbol', 'attributes', 'unit', 'description', 'service'].map(
  (name) => importField(SCALAR_KIND.viewColumns.find((c) => c.name === name) as Column),
);

const FROM_ANY_VENUE: FieldPolicy = { fallback: `'unknown'` };

const CANDLE_FIELDS = tableFields(TRADING_CANDLES, {
  venue: FROM_ANY_VENUE,
  interval: {
    normalize: (x) => `trim(${x})`,
    invalid: {
      when: (x) => `NOT regexp_full_match(${x}, '[0-9]{1,6}(s|m|h|d|w|M)')`,
      reason: 'interval must look like 1s, 1m, 5m, 1h, 1d, 1w or 1M',
    },
  },
  volume: { fallback: '0' },
});

const TRADE_FIELDS = tableFields(TRADING_TRADES, {
  venue: FROM_ANY_VENUE,
  side: {
    normalize: (x) =>
      `CASE lower(trim(${x})) WHEN 'b' THEN 'buy' WHEN 's' THEN 'sell' ELSE lower(trim(${x})) END`,
    invalid: { when: (x) => `${x} NOT IN ('buy', 'sell')`, reason: 'side must be buy or sell' },
  },
});

const SEVERITY_ALIASES: Record<string, string> = {
  warn: 'warning',
  err: 'error',
  fatal: 'critical',
  crit: 'critical',
  trace: 'debug',
};

/** The OTLP log record columns of `system_events`: not imported (sources hold plain events). */
const LOG_ONLY: readonly string[] = OTLP_LOG_COLUMNS.map((c) => c.name);

/** Events: `level` is not imported but derived from the severity; the OTLP log record columns stay NULL. */
const EVENT_FIELDS = tableFields(
  SYSTEM_EVENTS,
  {
    severity: {
      normalize: (x) =>
        `CASE lower(trim(${x})) ${Object.entries(SEVERITY_ALIASES)
          .map(([from, to]) => `WHEN ${sqlString(from)} THEN ${sqlString(to)}`)
          .join(' ')} ELSE lower(trim(${x})) END`,
      invalid: {
        when: (x) => `${x} NOT IN (${SEVERITIES.map(sqlString).join(', ')})`,
        reason: `severity must be one of ${SEVERITIES.join(', ')}`,
      },
    },
    source: { fallback: `'import'` },
  },
  ['level', ...LOG_ONLY],
);

/** The written columns of `system_events` an import fills, `level` among them. */
const EVENT_COLUMNS = writtenColumns(SYSTEM_EVENTS)
  .map((c) => c.name)
  .filter((name) => !LOG_ONLY.includes(name));

const levelCase = `CASE severity ${SEVERITIES.map((s, i) => `WHEN ${sqlString(s)} THEN ${i}`).join(' ')} END`;

const IMPORT_SERIES = 'temp.duckside_import_series';

/**
 * Metrics go to two tables: each distinct series once to `metric_series` (under the id core derives from the same
 * fields, so imported and ingested series coincide), the points to `metric_points`. The MD5 id is computed per
 * key, not per row. `keys` has a column `duckside_key` and one column per series field (as SQL over a row `r`
 * of it in `series`; the columns named in `carry` are kept for `sameKey`); `points` has `duckside_key` and the
 * point columns (as SQL over a row `r` in `columns`); `sameKey` matches a point row `r` to a key row `k`.
 */
function seriesThenPointsSql(parts: {
  keys: string;
  series: Readonly<Record<SeriesField, string>>;
  carry?: readonly string[];
  points: string;
  columns: Readonly<Record<string, string>>;
  sameKey: string;
}): string {
  const { series, columns } = parts;
  const carried = ['duckside_key', ...(parts.carry ?? [])].map((c) => `r.${c}`);
  return `
CREATE OR REPLACE TEMP TABLE duckside_import_series AS
  SELECT ${SERIES_ID_OF_COLUMNS} AS series_id, * FROM (
    SELECT ${carried.join(', ')}, ${SERIES_FIELDS.map((f) => `${series[f]} AS ${f}`).join(', ')} FROM (${parts.keys}) r);
INSERT INTO ${METRIC_SERIES.name}
  SELECT DISTINCT ON (series_id) ${columnList(METRIC_SERIES.columns)} FROM ${IMPORT_SERIES} ON CONFLICT DO NOTHING;
INSERT INTO ${SCALAR_KIND.points.name} (series_id, ${Object.keys(columns).join(', ')})
  SELECT k.series_id, ${Object.values(columns).join(', ')}
  FROM (${parts.points}) r JOIN ${IMPORT_SERIES} k ON ${parts.sameKey};
DROP TABLE ${IMPORT_SERIES};`;
}

/**
 * {@link seriesThenPointsSql} for one relation holding series and point columns: rows are keyed by a 64-bit
 * `hash()` of the series columns, and only where two series of the batch share that hash are the columns
 * themselves compared.
 */
function hashedSeriesThenPointsSql(
  relation: string,
  series: Readonly<Record<SeriesField, string>>,
  columns: Readonly<Record<string, string>>,
): string {
  const hashed = `hash(${SERIES_FIELDS.map((f) => series[f]).join(', ')}) AS duckside_key`;
  const sameSeries = SERIES_FIELDS.map((f) => `${series[f]} IS NOT DISTINCT FROM k.${f}`).join(' AND ');
  return seriesThenPointsSql({
    keys: `SELECT count(*) OVER (PARTITION BY duckside_key) > 1 AS duckside_collides, * FROM (
      SELECT DISTINCT ${hashed}, ${SERIES_FIELDS.map((f) => `${series[f]} AS ${f}`).join(', ')} FROM (${relation}) r)`,
    series: SERIES_FROM_ROW,
    carry: ['duckside_collides'],
    points: `SELECT ${hashed}, r.* FROM (${relation}) r`,
    columns,
    sameKey: `r.duckside_key = k.duckside_key AND (NOT k.duckside_collides OR (${sameSeries}))`,
  });
}

/** Each series field read from the column of the same name of `r`. */
const SERIES_FROM_ROW = Object.fromEntries(SERIES_FIELDS.map((f) => [f, `r.${f}`])) as Record<
  SeriesField,
  string
>;

/** Series columns of mapped metric rows: the import's resource marks them. */
const importedSeries = (resource: string) => ({
  ...SERIES_FROM_ROW,
  resource: sqlString(resource),
  scope: "'{}'",
});

/** Point columns of mapped metric rows (time and value). */
const IMPORTED_POINT = {
  ts: 'r.ts',
  time_unix_nano: 'epoch_us(r.ts) * 1000',
  flags: '0',
  kind: '1',
  temporality: '0',
  value: 'r.value',
};

/** Mapped metric rows (time, name, value, labels...), marked with the import's resource. */
function metricsInsertSql(relation: string, resource: string): string {
  return hashedSeriesThenPointsSql(relation, importedSeries(resource), IMPORTED_POINT);
}

/** Mapped metric rows already grouped by series by the source (see {@link TargetTable.keyedInsertSql}). */
function metricsKeyedInsertSql(keys: string, points: string, resource: string): string {
  return seriesThenPointsSql({
    keys,
    series: importedSeries(resource),
    points,
    columns: IMPORTED_POINT,
    sameKey: 'r.duckside_key = k.duckside_key',
  });
}

/** The columns of a stored gauge or sum point but its series id. */
const POINT_COLUMNS = SCALAR_KIND.points.columns.filter((c) => c.name !== 'series_id').map((c) => c.name);

/** Copies exported `trading_metrics` rows: series ids are derived again from the series columns, not trusted. */
function metricsCopySql(relation: string): string {
  return hashedSeriesThenPointsSql(
    relation,
    SERIES_FROM_ROW,
    Object.fromEntries(POINT_COLUMNS.map((c) => [c, `r.${c}`])),
  );
}

/** Import targets by table name. */
export const TARGETS: Readonly<Record<TargetName, TargetTable>> = {
  trading_metrics: {
    name: 'trading_metrics',
    fields: METRIC_FIELDS,
    sumColumn: 'value',
    insertSql: metricsInsertSql,
    keyFields: METRIC_FIELDS.map((f) => f.name).filter((f) =>
      (SERIES_FIELDS as readonly string[]).includes(f),
    ),
    keyedInsertSql: metricsKeyedInsertSql,
    ownRows: (resource) => `resource = ${sqlString(resource)}`,
    copySql: metricsCopySql,
  },
  trading_candles: {
    name: 'trading_candles',
    fields: CANDLE_FIELDS,
    sumColumn: 'volume',
    insertSql: (relation) =>
      `INSERT OR REPLACE INTO ${TRADING_CANDLES.name} (${columnsOf(CANDLE_FIELDS)})
       SELECT ${columnsOf(CANDLE_FIELDS)} FROM (
         SELECT *, row_number() OVER (PARTITION BY ${TRADING_CANDLES.primaryKey.join(', ')}) AS duckside_rn FROM (${relation})
       ) WHERE duckside_rn = 1`,
    ownRows: () => null,
  },
  trading_trades: {
    name: 'trading_trades',
    fields: TRADE_FIELDS,
    sumColumn: 'quantity',
    insertSql: (relation) =>
      `INSERT INTO ${TRADING_TRADES.name} (${columnsOf(TRADE_FIELDS)}) SELECT ${columnsOf(TRADE_FIELDS)} FROM (${relation})`,
    ownRows: () => null,
  },
  system_events: {
    name: 'system_events',
    fields: EVENT_FIELDS,
    sumColumn: null,
    insertSql: (relation) =>
      `INSERT INTO ${SYSTEM_EVENTS.name} (${EVENT_COLUMNS.join(', ')})
       SELECT ${EVENT_COLUMNS.map((c) => (c === 'level' ? levelCase : c)).join(', ')} FROM (${relation})`,
    ownRows: () => null,
  },
};

/**
 * Looks up an import target by table name.
 * @example targetTable('trading_trades').fields.map((f) => f.name)
 */
export function targetTable(name: string): TargetTable | undefined {
  return Object.hasOwn(TARGETS, name) ? TARGETS[name as TargetName] : undefined;
}
