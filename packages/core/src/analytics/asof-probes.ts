import type { SqlParam } from '../query/compiled-query.ts';
import { type AsofMatch, RIGHT_SIDE, withinTolerance } from './asof-clause.ts';
import type { Fragment } from './asof-sources.ts';
import type { Duration } from './duration.ts';

/** One as-of lookup per left row: at a time column of the left CTE, at or before it (or strictly before). */
export interface Probe {
  /** Column of the left CTE holding the lookup time. */
  time: string;
  strict: boolean;
}

/** A right series of the lookups: its points CTE (`_n`, `_rts`, `right_value`) and the left column of its `_n`. */
export interface ProbedSeries {
  cte: string;
  /** Column of the left CTE holding the series' key number (see `numberedSeries`). */
  key: string;
}

/** Many as-of lookups of several right series for each row of a left CTE, and which results to return. */
export interface ProbeSpec {
  /** Left CTE: one row per `_fid`, with each series' key column and the probe time columns. */
  left: string;
  series: readonly ProbedSeries[];
  probes: readonly Probe[];
  /** The (series index, probe index) pairs to return, as `_v<s>_<p>` (value) and `_t<s>_<p>` (its time). */
  wanted: readonly (readonly [number, number])[];
  /** The wanted pairs whose match time is returned too (`_t<s>_<p>`); the others return only their value. */
  timed: readonly (readonly [number, number])[];
  tolerance?: Duration;
}

/**
 * CTEs that answer many as-of lookups with one `ASOF JOIN` per right series (and strictness) instead of one per
 * lookup: every wanted lookup of every left row becomes a probe row (`_k = _fid × probes + probe`, the series'
 * key number `_n`, the time `_pt`), the probes are joined at once and pivoted back to one row per `_fid`. DuckDB
 * sorts the right series once instead of once per lookup (the sort of the right side is most of the cost: see
 * docs/performance.md). The last CTE, `probed`, has one row per `_fid` with the wanted `_v<s>_<p>`, and
 * `_t<s>_<p>` for the timed pairs (NULL when nothing qualifies or the match is older than the tolerance).
 */
export function probeCtes(spec: ProbeSpec): Fragment {
  const count = spec.probes.length;
  const params: SqlParam[] = [];
  const hits: string[] = [];
  for (const [s, series] of spec.series.entries()) {
    for (const strict of [false, true]) {
      const ids = spec.wanted
        .filter(([ws, p]) => ws === s && spec.probes[p]?.strict === strict)
        .map(([, p]) => p);
      if (ids.length === 0) continue;
      const probes = ids.map(
        (p) =>
          `SELECT _fid * ${count} + ${p} AS _k, ${series.key} AS _n, ${spec.probes[p]?.time} AS _pt FROM ${spec.left}`,
      );
      const match: AsofMatch = {
        leftTime: 'p._pt',
        strict,
        ...(spec.tolerance ? { tolerance: spec.tolerance } : {}),
      };
      const ok = withinTolerance('r', match);
      hits.push(
        `SELECT p._k, ${s} AS _series, CASE WHEN ${ok.sql} THEN r.right_value END AS _v,
    CASE WHEN ${ok.sql} THEN r.${RIGHT_SIDE.time} END AS _mt
  FROM (${probes.join(' UNION ALL ')}) p ASOF LEFT JOIN ${series.cte} r ON p._n = r._n AND p._pt ${strict ? '>' : '>='} r.${RIGHT_SIDE.time}`,
      );
      params.push(...ok.params, ...ok.params);
    }
  }
  const picks = spec.wanted.flatMap(([s, p]) => {
    const when = `_series = ${s} AND _k % ${count} = ${p}`;
    const timed = spec.timed.some(([ts, tp]) => ts === s && tp === p);
    return [
      `max(_v) FILTER (WHERE ${when}) AS _v${s}_${p}`,
      ...(timed ? [`max(_mt) FILTER (WHERE ${when}) AS _t${s}_${p}`] : []),
    ];
  });
  return {
    sql: `hits AS (${hits.join('\n  UNION ALL ')}),
probed AS (SELECT _k // ${count} AS _fid, ${picks.join(', ')} FROM hits GROUP BY 1)`,
    params,
  };
}
