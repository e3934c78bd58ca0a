import { sqlString } from '../sql/sql-text.ts';
import type { TargetField } from './target-tables.ts';

const CASTS = { timestamp: 'TIMESTAMP', double: 'DOUBLE', text: 'VARCHAR', json: 'VARCHAR' } as const;

/** Name of the column that carries a row's problems (empty text when the row is fine). */
export const PROBLEM_COLUMN = 'duckside_problem';

/**
 * DuckDB SQL giving a field's value from the raw source expression `raw` (or the field's fallback when unmapped):
 * cast to the field's type and normalized (e.g. trimmed, lower-cased); a NULL of an optional field takes the fallback. TIMESTAMPTZ values become UTC timestamps
 * when the session time zone is UTC (the importers set it).
 * @example typedValue(field('side'), 'src."side"') // CASE lower(trim(CAST(src."side" AS VARCHAR))) ...
 */
export function typedValue(field: TargetField, raw: string | undefined): string {
  const type = CASTS[field.type];
  if (raw === undefined) return `CAST(${field.fallback} AS ${type})`;
  const cast = `CAST(${raw} AS ${type})`;
  const value = field.normalize ? field.normalize(cast) : cast;
  return field.required || field.fallback === 'NULL'
    ? value
    : `coalesce(${value}, CAST(${field.fallback} AS ${type}))`;
}

/**
 * DuckDB SQL turning JSON text into Duckside attribute text: compact JSON as core writes it (ints without a
 * fraction, doubles with one, as spelled by the source), NULL as `{}`, and a non-object value `v` as `{"labels": v}`.
 * @example jsonAttributes('x') // CASE WHEN x IS NULL THEN '{}' ...
 */
export function jsonAttributes(x: string): string {
  return `CASE WHEN ${x} IS NULL THEN '{}' WHEN json_type(json(${x})) = 'OBJECT' THEN CAST(json(${x}) AS VARCHAR)
    ELSE CAST(json_object('labels', json(${x})) AS VARCHAR) END`;
}

/**
 * DuckDB SQL listing what is wrong with a row whose fields are columns named after them: missing required
 * values, values a field rejects and, when `checkJson`, text that is not JSON. Empty text when the row is fine.
 * @example `SELECT *, ${problemSql(fields, true)} AS duckside_problem FROM rows`
 */
export function problemSql(
  fields: readonly TargetField[],
  options: { required: boolean; json: boolean },
): string {
  const checks: string[] = [];
  for (const f of fields) {
    const col = `"${f.name}"`;
    if (f.required && options.required)
      checks.push(`CASE WHEN ${col} IS NULL THEN ${sqlString(`${f.name}: missing value`)} END`);
    if (f.invalid) {
      checks.push(
        `CASE WHEN ${col} IS NOT NULL AND ${f.invalid.when(col)} THEN ${sqlString(`${f.name}: ${f.invalid.reason}`)} || ' (' || ${col} || ')' END`,
      );
    }
    if (f.type === 'json' && options.json) {
      checks.push(
        `CASE WHEN ${col} IS NOT NULL AND NOT json_valid(${col}) THEN ${sqlString(`${f.name}: not valid JSON`)} END`,
      );
    }
  }
  return checks.length === 0 ? `''` : `concat_ws('; ', ${checks.join(', ')})`;
}

/** True when any field needs a per-row check beyond what the source already guarantees. */
export function needsChecks(
  fields: readonly TargetField[],
  options: { required: boolean; json: boolean },
): boolean {
  return fields.some(
    (f) => f.invalid || (f.required && options.required) || (f.type === 'json' && options.json),
  );
}
