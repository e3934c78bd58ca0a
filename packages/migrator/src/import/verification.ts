import type { DuckDBConnection } from '@duckdb/node-api';
import type { DayTotal, Source } from './source.ts';

/** Source and target figures of one day. */
export interface DayComparison {
  day: string;
  sourceCount: number;
  targetCount: number;
  sourceSum: number | null;
  targetSum: number | null;
  ok: boolean;
}

/** Result of comparing per-day counts and sums of a source and its target. */
export interface VerificationReport {
  ok: boolean;
  /** Column whose sums were compared (null: counts only). */
  sumColumn: string | null;
  sourceRows: number;
  targetRows: number;
  days: DayComparison[];
}

const RELATIVE_TOLERANCE = 1e-9;

/**
 * Compares per-day (UTC) counts and sums of the whole source with the target's rows of this import. Metrics are
 * told apart by their resource. Other tables carry no marker: when a `baseline` (the target's per-day totals taken
 * before the import's first run, see {@link targetBaseline}) is given, it is subtracted, so rows that were there
 * before do not count; without one (a resumed import) the source's days are compared as a whole.
 * @example const report = await verifyImport(conn, source, resource); if (!report.ok) console.table(report.days);
 */
export async function verifyImport(
  connection: DuckDBConnection,
  source: Source,
  resource: string,
  baseline: readonly DayTotal[] | null = null,
): Promise<VerificationReport> {
  const expected = await source.dailyTotals(connection);
  const actual = subtract(await targetTotals(connection, source, resource, expected), baseline ?? []);
  const byDay = new Map<string, DayComparison>();
  const entry = (day: string) => {
    let e = byDay.get(day);
    if (!e) {
      e = { day, sourceCount: 0, targetCount: 0, sourceSum: null, targetSum: null, ok: false };
      byDay.set(day, e);
    }
    return e;
  };
  for (const t of expected) Object.assign(entry(t.day), { sourceCount: t.count, sourceSum: t.sum });
  for (const t of actual) Object.assign(entry(t.day), { targetCount: t.count, targetSum: t.sum });
  const days = [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  for (const d of days) d.ok = d.sourceCount === d.targetCount && sumsMatch(d.sourceSum, d.targetSum);
  return {
    ok: days.every((d) => d.ok),
    sumColumn: source.target.sumColumn,
    sourceRows: expected.reduce((n, t) => n + t.count, 0),
    targetRows: actual.reduce((n, t) => n + t.count, 0),
    days,
  };
}

/**
 * Per-day totals of an unmarked target table before an import, for {@link verifyImport}; null when the import's
 * rows are marked (metrics) and need no baseline.
 */
export async function targetBaseline(
  connection: DuckDBConnection,
  source: Source,
  resource: string,
): Promise<DayTotal[] | null> {
  if (source.marksRows && source.target.ownRows(resource) !== null) return null;
  return queryDayTotals(connection, source, 'TRUE');
}

function subtract(totals: readonly DayTotal[], baseline: readonly DayTotal[]): DayTotal[] {
  const before = new Map(baseline.map((b) => [b.day, b]));
  return totals
    .map((t) => {
      const b = before.get(t.day);
      if (!b) return t;
      const sum = t.sum === null ? null : t.sum - (b.sum ?? 0);
      return { day: t.day, count: t.count - b.count, sum };
    })
    .filter((t) => t.count !== 0);
}

function sumsMatch(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return (a ?? 0) === (b ?? 0);
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

async function targetTotals(
  connection: DuckDBConnection,
  source: Source,
  resource: string,
  expected: readonly DayTotal[],
): Promise<DayTotal[]> {
  const target = source.target;
  const own = source.marksRows ? target.ownRows(resource) : null;
  const first = expected[0]?.day;
  const last = expected[expected.length - 1]?.day;
  const filters: string[] = [];
  if (own) filters.push(own);
  else if (first && last) filters.push(`ts >= DATE '${first}' AND ts < DATE '${last}' + INTERVAL 1 DAY`);
  else return [];
  return queryDayTotals(connection, source, filters.join(' AND '));
}

async function queryDayTotals(
  connection: DuckDBConnection,
  source: Source,
  filter: string,
): Promise<DayTotal[]> {
  const target = source.target;
  const sum = target.sumColumn ? `sum(${target.sumColumn})` : 'NULL';
  const reader = await connection.runAndReadAll(
    `SELECT strftime(ts, '%Y-%m-%d') AS day, count(*) AS n, ${sum} AS s FROM ${target.name}
     WHERE ${filter} GROUP BY 1 ORDER BY 1`,
  );
  return reader.getRowObjectsJS().map((r) => ({
    day: String(r.day),
    count: Number(r.n),
    sum: r.s === null ? null : Number(r.s),
  }));
}
