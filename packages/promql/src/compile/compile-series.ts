import type { CompiledQuery } from '@duckside/core';
import type { VectorSelectorNode } from '../language/ast.ts';
import { PromqlParseError } from '../language/errors.ts';
import { parsePromql } from '../language/parse.ts';
import { SqlPlan } from './plan.ts';
import type { PointTables } from './point-tables.ts';
import { selectorSamples } from './samples.ts';

/** One label set of a series match: label names and values (parallel, sorted by name). */
export interface SeriesLabelsRow {
  k: string[];
  lv: string[];
}

/** Latest `end` a series match accepts (times are microseconds in SQL): later ends are read as this. */
export const MAX_SERIES_TIME_MS = Math.floor(Number.MAX_SAFE_INTEGER / 1000) - 1;

/** Matches every series (what `/api/v1/labels` without `match[]` reads). */
export const ALL_SERIES_SELECTOR = '{__name__=~".+"}';

/**
 * Parses the `match[]` selectors of a series call.
 * @throws PromqlParseError when there is none or one is not a plain vector selector.
 */
export function seriesSelectors(selectors: readonly string[]): VectorSelectorNode[] {
  if (selectors.length === 0) throw new PromqlParseError('no match[] parameter provided');
  return selectors.map((text) => {
    const expr = parsePromql(text);
    if (expr.type !== 'selector' || expr.offset !== 0 || expr.at !== undefined) {
      throw new PromqlParseError(`invalid parameter "match[]": ${text} is not a series selector`);
    }
    return expr;
  });
}

/** Where a series call reads: the time range, derived point tables, and whether scalar series are read here. */
export interface SeriesSelectOptions {
  /** False leaves the scalar series of `metric_points` out (the caller matches them on the catalog). */
  scalars?: boolean;
  tables?: PointTables;
}

/**
 * Compiles series selectors (`match[]` of the Prometheus `/api/v1/series`, `/labels`, `/label/<name>/values`) to
 * one statement that lists the distinct label sets of the series with a sample in [start, end] ms (unordered).
 * @throws PromqlParseError when a matcher is not a plain vector selector.
 * @example compileSeriesSelect(['up{job="api"}'], 0, Date.now())
 */
export function compileSeriesSelect(
  selectors: readonly string[] | readonly VectorSelectorNode[],
  start: number,
  end: number,
  { scalars = true, tables }: SeriesSelectOptions = {},
): CompiledQuery<SeriesLabelsRow> {
  const nodes = selectors.every((s) => typeof s === 'string')
    ? seriesSelectors(selectors as readonly string[])
    : (selectors as readonly VectorSelectorNode[]);
  if (nodes.length === 0) throw new PromqlParseError('no match[] parameter provided');
  const plan = new SqlPlan();
  const parts = nodes.map((expr) => {
    const { samples, series } = selectorSamples(
      plan,
      expr,
      Math.round(start),
      Math.round(Math.min(end, MAX_SERIES_TIME_MS)),
      { shapesOnly: true, scalars, ...(tables === undefined ? {} : { tables }) },
    );
    return `SELECT labels FROM ${series} WHERE sid IN (SELECT sid FROM ${samples})`;
  });
  const sql = plan.sql(
    `SELECT map_keys(labels) AS k, map_values(labels) AS lv FROM (${parts.join(' UNION ')})`,
  );
  return Object.freeze({ sql, params: Object.freeze([...plan.params]) });
}
