/** The `data` of a Prometheus query answer (the shape of `@duckside/promql`'s `PrometheusData`). */
export type PrometheusQueryData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'matrix'; result: { metric: Record<string, string>; values: [number, string][] }[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };

const RELATIVE = 1e-9;
/** Below this both values count as zero (a sum of floats in another order can leave 1e-16 where Go has 0). */
const ABSOLUTE = 1e-12;

function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a.replace('Inf', 'Infinity'));
  const y = Number(b.replace('Inf', 'Infinity'));
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y);
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y;
  const diff = Math.abs(x - y);
  return diff <= RELATIVE * Math.max(Math.abs(x), Math.abs(y)) || diff < ABSOLUTE;
}

type Series = { metric: Record<string, string>; points: [number, string][] };

function seriesOf(d: PrometheusQueryData): Series[] {
  switch (d.resultType) {
    case 'vector':
      return d.result.map((s) => ({ metric: s.metric, points: [s.value] }));
    case 'matrix':
      return d.result.map((s) => ({ metric: s.metric, points: s.values }));
    default:
      return [{ metric: {}, points: [d.result] }];
  }
}

const keyOf = (m: Record<string, string>) =>
  JSON.stringify(
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]]),
  );

/**
 * Differences between Duckside's and Prometheus' answers (`data` of a query): result type, the set of series (labels), per
 * series the timestamps and the values (1e-9 relative, NaN where Prometheus has NaN); with `ordered`, the
 * series order too (sort, sort_desc). Empty when they match.
 * @example expect(compareResults(ours, theirs, false)).toEqual([])
 */
export function compareResults(
  ours: PrometheusQueryData,
  theirs: PrometheusQueryData,
  ordered: boolean,
): string[] {
  if (ours.resultType !== theirs.resultType)
    return [`result type ${ours.resultType} != ${theirs.resultType}`];
  const a = seriesOf(ours);
  const b = seriesOf(theirs);
  const problems: string[] = [];
  const mine = new Map(a.map((s) => [keyOf(s.metric), s]));
  const expected = new Map(b.map((s) => [keyOf(s.metric), s]));
  for (const k of expected.keys()) if (!mine.has(k)) problems.push(`missing series ${k}`);
  for (const k of mine.keys()) if (!expected.has(k)) problems.push(`extra series ${k}`);
  if (ordered && problems.length === 0) {
    const va = a.map((s) => s.points[0]?.[1]);
    const vb = b.map((s) => s.points[0]?.[1]);
    if (va.some((v, i) => !sameValue(String(v), String(vb[i])))) problems.push(`order ${va} != ${vb}`);
  }
  for (const [k, s] of expected) {
    const m = mine.get(k);
    if (!m) continue;
    const times = (x: Series) => x.points.map((p) => p[0]).join(',');
    if (times(m) !== times(s)) {
      problems.push(`series ${k}: times ${times(m).slice(0, 200)} != ${times(s).slice(0, 200)}`);
      continue;
    }
    s.points.forEach(([t, v], i) => {
      const mv = (m.points[i] as [number, string])[1];
      if (!sameValue(mv, v)) problems.push(`series ${k} at ${t}: ${mv} != ${v}`);
    });
  }
  return problems.slice(0, 8);
}
