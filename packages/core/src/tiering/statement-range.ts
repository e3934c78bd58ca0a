import type { SqlParam } from '../query/compiled-query.ts';

/** The time range of a read statement and the tier views it reads. */
export interface StatementRange {
  /** Inclusive lower bound, as bound (`YYYY-MM-DD HH:MM:SS[.ffffff]`). */
  from: string;
  /** Exclusive upper bound, as bound. */
  to: string;
  /** The tier views the statement names. */
  views: ReadonlySet<string>;
}

const LOWER = /\bts >= \?::TIMESTAMP/g;
const UPPER = /\bts < \?::TIMESTAMP/g;
const SOURCE = /\b(?:FROM|JOIN)\s+("?[A-Za-z_][\w.]*"?)(\s*\()?/gi;
const CTE_NAME = /\b([A-Za-z_]\w*)\s+AS\s+(?:NOT\s+)?(?:MATERIALIZED\s+)?\(/gi;
const TIME_TEXT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

/**
 * The time range of a statement compiled by the query builders (`ts >= ?::TIMESTAMP` and `ts < ?::TIMESTAMP`
 * with bound text), when it is certain to cover every tier view the statement reads: each source after `FROM`
 * or `JOIN` is a tier view, a `neutral` table (no `ts`), a CTE of the statement or a table function, no tier view
 * is named elsewhere (e.g. after a comma), and there are exactly as many lower and upper bounds as tier view
 * references. Undefined otherwise (the statement then
 * reads the full views). The range spans the lowest lower and the highest upper bound.
 * @example statementRange('SELECT 1 FROM trading_trades WHERE ts >= ?::TIMESTAMP AND ts < ?::TIMESTAMP', [a, b], views, neutral)
 */
export function statementRange(
  sql: string,
  params: readonly SqlParam[],
  tierViews: ReadonlySet<string>,
  neutral: ReadonlySet<string>,
): StatementRange | undefined {
  const ctes = new Set([...sql.matchAll(CTE_NAME)].map((m) => (m[1] ?? '').toLowerCase()));
  const views = new Set<string>();
  let references = 0;
  for (const m of sql.matchAll(SOURCE)) {
    if (m[2] !== undefined) continue; // a table function: read_parquet(...), unnest(...), range(...)
    const name = (m[1] ?? '').replaceAll('"', '').toLowerCase();
    if (tierViews.has(name)) {
      views.add(name);
      references++;
    } else if (!neutral.has(name) && !ctes.has(name)) {
      return undefined;
    }
  }
  if (references === 0 || mentions(sql, tierViews) !== references) return undefined;
  const lower = boundTexts(sql, params, LOWER);
  const upper = boundTexts(sql, params, UPPER);
  if (lower === undefined || upper === undefined) return undefined;
  if (lower.length !== references || upper.length !== references) return undefined;
  return { from: lower.sort()[0] as string, to: upper.sort().at(-1) as string, views };
}

/** How often the statement names any of `names` as a word (not after a `.`): a source after a comma counts too. */
function mentions(sql: string, names: ReadonlySet<string>): number {
  let n = 0;
  for (const m of sql.matchAll(/(?<![.\w])"?([A-Za-z_]\w*)"?/g))
    if (names.has((m[1] ?? '').toLowerCase())) n++;
  return n;
}

/** The bound texts of every match of `pattern` (its `?` is the parameter counted from the statement's start). */
function boundTexts(sql: string, params: readonly SqlParam[], pattern: RegExp): string[] | undefined {
  const texts: string[] = [];
  for (const m of sql.matchAll(pattern)) {
    const before = sql.slice(0, (m.index ?? 0) + m[0].indexOf('?'));
    const value = params[before.split('?').length - 1];
    if (typeof value !== 'string' || !TIME_TEXT.test(value)) return undefined;
    texts.push(fullTime(value));
  }
  return texts;
}

/** A bound time text with six fraction digits (so that texts compare as times). */
function fullTime(text: string): string {
  const [seconds, fraction = ''] = text.split('.');
  return `${seconds}.${fraction.padEnd(6, '0')}`;
}

/**
 * Whether UTC day `day` (`YYYY-MM-DD`) overlaps the range `[from, to)` of bound timestamp texts (fixed width,
 * so compared as text).
 * @example dayInRange('2024-01-02', '2024-01-02 12:00:00.000000', '2024-01-03 00:00:00.000000') // true
 */
export function dayInRange(day: string, from: string, to: string): boolean {
  return day >= from.slice(0, 10) && `${day} 00:00:00.000000` < fullTime(to);
}

/**
 * The statement with `ctes` (`name AS NOT MATERIALIZED (...)`) in front, merged into its own `WITH` list when it
 * has one; undefined for a `WITH RECURSIVE` statement.
 */
export function withCtes(sql: string, ctes: readonly string[]): string | undefined {
  const head = /^\s*WITH\s+/i.exec(sql);
  if (head === null) return `WITH ${ctes.join(',\n')}\n${sql}`;
  if (/^\s*WITH\s+RECURSIVE\b/i.test(sql)) return undefined;
  return `WITH ${ctes.join(',\n')},\n${sql.slice(head[0].length)}`;
}
