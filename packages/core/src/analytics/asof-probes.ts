import type { SqlParam } from '../query/compiled-query.ts';
import { type AsofMatch, asofJoinSql, LEFT_SIDE, withinTolerance } from './asof-clause.ts';
import { type Fragment, keyNames, type MatchKeys } from './asof-sources.ts';
import type { Duration } from './duration.ts';

/** One as-of lookup per left row: at a time column of the left CTE, at or before it (or strictly before). */
export interface Probe {
  /** Column of the left CTE holding the lookup time. */
  time: string;
  strict: boolean;
}

/** Many as-of lookups of several right series for each row of a left CTE, and which results to return. */
export interface ProbeSpec {
  /** Left CTE: one row per `_fid`, with the key columns `_lk_<i>` and the probe time columns. */
  left: string;
  /** Right CTEs (as built by `sideCte` for the right side): `_rts`, `_rk_<i>` and `right_value`. */
  series: readonly string[];
  keys: MatchKeys;
  probes: readonly Probe[];
  /** The (series index, probe index) pairs to return, as `_v<s>_<p>` (value) and `_t<s>_<p>` (its time). */
  wanted: readonly (readonly [number, number])[];
  tolerance?: Duration;
}

/**
 * CTEs that answer many as-of lookups with one `ASOF JOIN` per right series (and strictness) instead of one per
 * lookup: every lookup of every left row becomes a probe row, the probes are joined at once and pivoted back to
 * one row per `_fid`. DuckDB sorts the right series once instead of once per lookup: arrival mid and three
 * markouts of 100k fills against 1M mids took 1.4 s this way against 4.7 s with four joins (and 1.8-2.9 s with a
 * merged `last_value(... IGNORE NULLS)` window). The last CTE, `probed`, has one row per `_fid` with the wanted
 * `_v<s>_<p>` and `_t<s>_<p>` (NULL when nothing qualifies or the match is older than the tolerance).
 */
export function probeCtes(spec: ProbeSpec): Fragment {
  const keys = keyNames(spec.keys).map((_, i) => LEFT_SIDE.key(i));
  const probes = spec.probes.map(
    (p, i) => `SELECT _fid, ${i} AS _probe, ${keys.join(', ')}, ${p.time} AS _pt FROM ${spec.left}`,
  );
  const params: SqlParam[] = [];
  const hits: string[] = [];
  for (const [s, cte] of spec.series.entries()) {
    for (const strict of [false, true]) {
      const ids = spec.wanted
        .filter(([ws, p]) => ws === s && spec.probes[p]?.strict === strict)
        .map(([, p]) => p);
      if (ids.length === 0) continue;
      const match: AsofMatch = {
        leftTime: 'p._pt',
        strict,
        ...(spec.tolerance ? { tolerance: spec.tolerance } : {}),
      };
      const ok = withinTolerance('r', match);
      hits.push(
        `SELECT p._fid, p._probe, ${s} AS _series, CASE WHEN ${ok.sql} THEN r.right_value END AS _v,
    CASE WHEN ${ok.sql} THEN r._rts END AS _mt
  FROM (SELECT * FROM probes WHERE _probe IN (${ids.join(', ')})) p${asofJoinSql('p', cte, 'r', spec.keys, match)}`,
      );
      params.push(...ok.params, ...ok.params);
    }
  }
  const picks = spec.wanted.flatMap(([s, p]) => {
    const when = `_series = ${s} AND _probe = ${p}`;
    return [
      `max(CASE WHEN ${when} THEN _v END) AS _v${s}_${p}`,
      `max(CASE WHEN ${when} THEN _mt END) AS _t${s}_${p}`,
    ];
  });
  return {
    sql: `probes AS (${probes.join(' UNION ALL ')}),
hits AS (${hits.join('\n  UNION ALL ')}),
probed AS (SELECT _fid, ${picks.join(', ')} FROM hits GROUP BY _fid)`,
    params,
  };
}
