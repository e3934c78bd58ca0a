// The metric explorer's PromQL box: a Prometheus range query's matrix as the line chart's aligned columns.

/** A Prometheus sample value ('1.5', 'NaN', '+Inf') as a chartable number; null when not finite. */
function chartValue(text) {
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** A series' labels as Prometheus writes them: `name{a="1", b="2"}` (`{}` without any). */
export function seriesLabel(metric) {
  const { __name__: name = '', ...labels } = metric;
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return pairs.length === 0 && name !== '' ? name : `${name}{${pairs.join(', ')}}`;
}

/**
 * The `data` of `/api/v1/query_range` (`{ resultType: 'matrix', result: [{ metric, values: [[s, 'v'], ...] }] }`)
 * as `{ times (ms[]), series: [{ label, values }] }`, one column per step that any series has.
 */
export function matrixColumns(data) {
  if (data.resultType !== 'matrix') throw new Error(`expected a matrix, got ${data.resultType}`);
  const times = [...new Set(data.result.flatMap((s) => s.values.map(([t]) => t * 1000)))].sort(
    (a, b) => a - b,
  );
  const index = new Map(times.map((t, i) => [t, i]));
  const series = data.result.map((s) => {
    const values = new Array(times.length).fill(null);
    for (const [t, v] of s.values) values[index.get(t * 1000)] = chartValue(v);
    return { label: seriesLabel(s.metric), values };
  });
  return { times, series };
}
