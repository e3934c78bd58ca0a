import { MappingError } from '../errors/errors.ts';
import type { Candidate, Preset } from './presets.ts';
import type { TargetField, TargetTable } from './target-tables.ts';

/** Where a field's values come from. */
export type FieldSource =
  | { readonly kind: 'column'; readonly column: string }
  | { readonly kind: 'json_key'; readonly column: string; readonly key: string }
  | { readonly kind: 'constant'; readonly value: string };

/** A resolved mapping: every field of the target with its source (undefined: the field's fallback). */
export interface ResolvedMapping {
  readonly target: TargetTable;
  readonly fields: readonly { readonly field: TargetField; readonly source: FieldSource | undefined }[];
}

/** User overrides of a preset. */
export interface MappingOptions {
  /** Duckside field -> source column (`--map`). */
  map?: Readonly<Record<string, string>>;
  /** Duckside field -> constant text (`--set`). */
  set?: Readonly<Record<string, string>>;
  /** Source column of the time field (`--time-column`, same as `--map ts=COLUMN`). */
  timeColumn?: string;
}

/**
 * Resolves which source column (or constant) feeds each field of the target: `--set`, then `--map`/`--time-column`,
 * then the preset's candidates and the field's own name (exact, then case-insensitive).
 * @throws MappingError for unknown fields or columns, or a required field without a source.
 * @example resolveMapping(TARGETS.trading_metrics, PRESETS.metrics, ['time', 'name', 'value'], {})
 */
export function resolveMapping(
  target: TargetTable,
  preset: Preset,
  sourceColumns: readonly string[],
  options: MappingOptions = {},
): ResolvedMapping {
  const known = new Set(target.fields.map((f) => f.name));
  const map: Record<string, string> = { ...options.map };
  if (options.timeColumn) map.ts = options.timeColumn;
  for (const key of [...Object.keys(map), ...Object.keys(options.set ?? {})]) {
    if (!known.has(key)) {
      throw new MappingError(`${target.name} has no field ${key}; fields: ${[...known].join(', ')}`);
    }
  }
  const find = (name: string) => findColumn(sourceColumns, name);
  const fields = target.fields.map((field) => {
    const constant = options.set?.[field.name];
    if (constant !== undefined) return { field, source: { kind: 'constant', value: constant } as const };
    const mapped = map[field.name];
    if (mapped !== undefined) {
      const column = find(mapped);
      if (!column) {
        throw new MappingError(
          `--map ${field.name}=${mapped}: the source has no column ${mapped}; columns: ${sourceColumns.join(', ')}`,
        );
      }
      return { field, source: { kind: 'column', column } as const };
    }
    const source = fromCandidates([...(preset.candidates[field.name] ?? []), field.name], find);
    if (!source && field.required) {
      throw new MappingError(
        `no source column for required field ${field.name} of ${target.name}; use --map ${field.name}=COLUMN or --set ${field.name}=VALUE`,
      );
    }
    return { field, source };
  });
  if (fields[0]?.source?.kind !== 'column') {
    throw new MappingError('the time field ts must come from a source column (--map ts=COLUMN)');
  }
  return { target, fields };
}

function fromCandidates(
  candidates: readonly Candidate[],
  find: (n: string) => string | undefined,
): FieldSource | undefined {
  for (const c of candidates) {
    if (typeof c === 'string') {
      const column = find(c);
      if (column) return { kind: 'column', column };
    } else {
      const column = find(c.column);
      if (column) return { kind: 'json_key', column, key: c.key };
    }
  }
  return undefined;
}

function findColumn(columns: readonly string[], name: string): string | undefined {
  return columns.find((c) => c === name) ?? columns.find((c) => c.toLowerCase() === name.toLowerCase());
}

/**
 * Parses `a=b` pairs of repeated options (`--map`, `--set`) into an object.
 * @throws MappingError for a pair without `=` or a repeated key.
 * @example parsePairs(['ts=time', 'venue=exchange']) // { ts: 'time', venue: 'exchange' }
 */
export function parsePairs(pairs: readonly string[], option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new MappingError(`${option} ${pair}: expected duckside_field=value`);
    const key = pair.slice(0, at).trim();
    if (Object.hasOwn(out, key)) throw new MappingError(`${option}: ${key} given twice`);
    out[key] = pair.slice(at + 1);
  }
  return out;
}
