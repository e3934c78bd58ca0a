import type { SqlParam } from '@duckside/core';
import type { Matcher } from '../language/ast.ts';
import { sqlBigint } from '../sql/sql-text.ts';
import type { PointTables } from './point-tables.ts';
import type { ScalarKey } from './scalar-key.ts';

/** Evaluation times of a (sub)expression: `start`, `start + step`, ... up to `end`, in ms. */
export interface Grid {
  start: number;
  end: number;
  step: number;
}

/** Settings every part of a compilation reads. */
export interface CompileSettings {
  lookbackMs: number;
  /** Step of subqueries without one (Prometheus' global evaluation interval). */
  subqueryStepMs: number;
  /** The query's own start and end (for `@ start()` / `@ end()`). */
  queryStart: number;
  queryEnd: number;
  /** Derived point tables that may hold rows. */
  tables: PointTables;
  /** Scalar series matched beforehand, by selector matchers (absent: matched in SQL). */
  scalarKeys?: ScalarKeyLookup;
}

/** Scalar series matched on the catalog before compiling, by the `matchers` array of each selector. */
export type ScalarKeyLookup = ReadonlyMap<readonly Matcher[], readonly ScalarKey[]>;

/**
 * The SQL being built: named CTEs in dependency order and the bound parameters (`$1`, `$2`, ...: numbered, so
 * the order CTEs are written in does not matter).
 * @example const plan = new SqlPlan(); const q = plan.cte('SELECT 1 AS v'); plan.sql(`SELECT * FROM ${q}`)
 */
export class SqlPlan {
  private readonly ctes: { name: string; sql: string; materialized: boolean }[] = [];
  private readonly shared = new Map<string, string>();
  readonly params: SqlParam[] = [];

  /** A CTE built once per statement under `key` (e.g. the series catalog every selector joins). */
  once(key: string, build: () => string): string {
    let name = this.shared.get(key);
    if (name === undefined) {
      name = this.cte(build(), true);
      this.shared.set(key, name);
    }
    return name;
  }

  /**
   * Adds a CTE and returns its name. `materialized` makes it an optimizer barrier: DuckDB then does not push
   * later filters into its (large) label expressions, which can cost seconds of planning.
   */
  cte(sql: string, materialized = false): string {
    const name = `q${this.ctes.length + 1}`;
    this.ctes.push({ name, sql, materialized });
    return name;
  }

  /** Binds a string and returns its placeholder. */
  param(value: string): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** The whole statement ending in `select`; CTEs read more than once are materialized (computed once). */
  sql(select: string): string {
    if (this.ctes.length === 0) return select;
    const uses = new Map<string, number>();
    for (const text of [select, ...this.ctes.map((c) => c.sql)]) {
      for (const m of text.matchAll(/\bq\d+\b/g)) uses.set(m[0], (uses.get(m[0]) ?? 0) + 1);
    }
    const parts = this.ctes.map(
      (c) => `${c.name} AS ${c.materialized || (uses.get(c.name) ?? 0) > 1 ? 'MATERIALIZED ' : ''}(${c.sql})`,
    );
    return `WITH ${parts.join(',\n')}\n${select}`;
  }
}

/** Number of steps of a grid. */
export function gridSteps(g: Grid): number {
  return Math.floor((g.end - g.start) / g.step) + 1;
}

/** SQL of the grid's times as a relation `(t)`. */
export function gridTimesSql(g: Grid): string {
  return `SELECT range AS t FROM range(${sqlBigint(g.start)}, ${sqlBigint(g.end + 1)}, ${sqlBigint(g.step)})`;
}

/** A one-step grid at `t` (what `@` evaluates on). */
export function singleStep(t: number): Grid {
  return { start: t, end: t, step: 1 };
}
