// The metric explorer: name, symbol, label filters, aggregation and interval; p50/p95/p99 for both histogram
// kinds, the stored quantiles for summaries; or a PromQL expression, run as a Prometheus range query.

import { ApiError } from './api-client.js';
import { element, fillSelect } from './dom.js';
import { formatTime, formatValue } from './format.js';
import { LineChart, PALETTE } from './line-chart.js';
import { Panel } from './panel.js';
import { matrixColumns } from './promql-query.js';
import { alignWindow, intervalSeconds, PRESETS } from './time-range.js';

const INTERVALS = ['1s', '10s', '30s', '1m', '5m', '15m', '1h', '1d'];
const QUANTILE_LABELS = { 0.5: 'p50', 0.95: 'p95', 0.99: 'p99' };
/** The picker's groups: each metric kind of the catalog under a heading. */
const KIND_GROUPS = [
  ['scalar', 'Metrics'],
  ['histogram', 'Histograms'],
  ['exponentialHistogram', 'Exponential histograms'],
  ['summary', 'Summaries'],
];

/** `p50` for 0.5, `p99.9` for 0.999. */
export function quantileLabel(q) {
  return QUANTILE_LABELS[q] ?? `p${Math.round(Number(q) * 1000) / 10}`;
}

/**
 * Parses `key=value, key2=value2` into `{ 'label.key': 'value', ... }`.
 * @throws Error naming the part that has no `=`.
 */
export function parseLabelFilter(text) {
  const params = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`label filter "${part}" is not key=value`);
    params[`label.${part.slice(0, eq).trim()}`] = part.slice(eq + 1).trim();
  }
  return params;
}

/** Pivots `{ bucket, key, value }` rows into aligned columns: `{ times, series: [{ label, values }] }`. */
export function pivot(rows, keyOf, labelOf) {
  const times = [...new Set(rows.map((r) => Date.parse(r.bucket)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const byKey = new Map();
  for (const row of rows) {
    const key = keyOf(row);
    if (!byKey.has(key)) byKey.set(key, new Array(times.length).fill(null));
    byKey.get(key)[index.get(Date.parse(row.bucket))] = row.value;
  }
  const series = [...byKey.entries()].map(([key, values]) => ({ label: labelOf(key), values }));
  return { times, series };
}

/** The metric explorer inside `root` (the `#metric-panel` section). */
export class MetricPanel extends Panel {
  constructor(root, api) {
    super(root, api, {
      name: '#metric-name',
      symbol: '#metric-symbol',
      labels: '#metric-labels',
      fn: '#metric-fn',
      interval: '#metric-interval',
      groupBy: '#metric-group',
      promql: '#metric-promql',
      promqlError: '#metric-promql-error',
      legend: '#metric-legend',
    });
    this.metrics = [];
    this.data = { times: [], series: [] };
    this.chart = new LineChart(root.querySelector('#metric-chart'), (index) => this.showLegend(index));
    fillSelect(this.interval, [['auto', 'auto'], ...INTERVALS.map((i) => [i, i])]);
  }

  /** Offers the catalog's metric names, symbols and aggregations; `state` holds the choices to restore. */
  setCatalog(catalog, state = {}) {
    this.metrics = catalog.metrics;
    const group = (kind, label) => ({
      label,
      options: catalog.metrics.filter((m) => m.kind === kind).map((m) => [`${kind}:${m.name}`, m.name]),
    });
    fillSelect(
      this.name,
      KIND_GROUPS.map(([kind, label]) => group(kind, label)).filter((g) => g.options.length > 0),
      state.metric,
    );
    fillSelect(this.symbol, [['', 'all symbols'], ...catalog.metricSymbols.map((s) => [s, s])], state.symbol);
    fillSelect(
      this.fn,
      catalog.aggregations.map((a) => [a, a]),
      state.fn,
    );
    if (state.interval) this.interval.value = state.interval;
    if (state.labels !== undefined) this.labels.value = state.labels;
    if (state.promql !== undefined) this.promql.value = state.promql;
    this.updateControls();
  }

  /** Histograms and summaries are charted as quantiles (no aggregation to pick) and take no label filter. */
  updateControls() {
    const kind = this.selected()?.kind;
    const quantiles = kind !== undefined && kind !== 'scalar';
    // A PromQL expression replaces the pickers (the interval stays: it is the query's step).
    const promql = this.promql.value.trim() !== '';
    for (const picker of [this.name, this.symbol, this.groupBy]) picker.disabled = promql;
    this.fn.disabled = quantiles || promql;
    this.labels.disabled = quantiles || promql;
    this.labels.placeholder = quantiles
      ? `not for ${kind === 'summary' ? 'summaries' : 'histograms'}`
      : 'key=value, ...';
  }

  selected() {
    const value = this.name.value;
    const sep = value.indexOf(':');
    return sep < 0 ? undefined : { kind: value.slice(0, sep), name: value.slice(sep + 1) };
  }

  state() {
    return {
      metric: this.name.value,
      symbol: this.symbol.value,
      fn: this.fn.value,
      interval: this.interval.value,
      labels: this.labels.value,
      promql: this.promql.value,
    };
  }

  /** Loads the chosen metric, or the PromQL expression when one is typed, over `window` for range `preset`. */
  async refresh(window, preset) {
    const expression = this.promql.value.trim();
    this.promqlError.hidden = true;
    this.promqlError.textContent = '';
    if (expression !== '') return this.refreshPromql(expression, window, preset);
    const metric = this.selected();
    if (!metric) {
      this.data = { times: [], series: [] };
      this.chart.update(this.data, window);
      this.status.textContent = 'No metrics yet.';
      this.showLegend(null);
      return;
    }
    const interval = this.interval.value === 'auto' ? PRESETS[preset].metricInterval : this.interval.value;
    const range = alignWindow(window, intervalSeconds(interval));
    const common = { name: metric.name, symbol: this.symbol.value, interval, from: range.from, to: range.to };
    let truncated = false;
    if (metric.kind !== 'scalar') {
      // Both histogram kinds are estimated at p50/p95/p99; a summary shows the quantiles it stores.
      const quantiles = metric.kind === 'summary' ? undefined : Object.keys(QUANTILE_LABELS).join(',');
      const body = await this.api.get('histograms', { ...common, kind: metric.kind, quantiles });
      truncated = body.truncated;
      this.data = pivot(body.data, (r) => r.quantile, quantileLabel);
    } else {
      const fn = this.fn.value;
      const groupBySymbol = this.groupBy.value === 'symbol' && this.symbol.value === '';
      const body = await this.api.get('aggregate', {
        ...common,
        ...parseLabelFilter(this.labels.value),
        fn,
        groupBy: groupBySymbol ? 'symbol' : undefined,
      });
      truncated = body.truncated;
      this.data = pivot(
        body.data,
        (r) => r.group ?? '',
        (g) => (g === '' ? `${fn}(${metric.name})` : `${fn} ${g}`),
      );
    }
    this.chart.update(this.data, range);
    const points = this.data.times.length;
    this.status.textContent =
      points === 0
        ? `No points of ${metric.name} in this range.`
        : `${points} buckets of ${interval}${truncated ? ' (truncated)' : ''}`;
    this.showLegend(null);
    this.rendered();
  }

  /**
   * Runs `expression` through `/api/v1/query_range` at the interval as step and charts every series; a refused
   * query (Prometheus' `bad_data`, `execution`, ...) is shown under the box and clears the chart.
   */
  async refreshPromql(expression, window, preset) {
    const interval = this.interval.value === 'auto' ? PRESETS[preset].metricInterval : this.interval.value;
    const step = intervalSeconds(interval);
    const range = alignWindow(window, step);
    try {
      const body = await this.api.get('query_range', {
        query: expression,
        start: range.from / 1000,
        end: range.to / 1000,
        step,
      });
      this.data = matrixColumns(body.data);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      this.data = { times: [], series: [] };
      this.promqlError.textContent = error.code ? `${error.code}: ${error.message}` : error.message;
      this.promqlError.hidden = false;
    }
    this.chart.update(this.data, range);
    const count = this.data.series.length;
    this.status.textContent = this.promqlError.hidden
      ? `${count} series at ${interval} steps`
      : 'The query was refused.';
    this.showLegend(null);
    this.rendered();
  }

  /** Values at bucket `index`, or each series' last value when null. */
  showLegend(index) {
    const { times, series } = this.data;
    const at = (values) => {
      if (index !== null) return { value: values[index], time: times[index] };
      for (let i = values.length - 1; i >= 0; i--)
        if (values[i] !== null) return { value: values[i], time: times[i] };
      return { value: null, time: undefined };
    };
    this.legend.replaceChildren(
      ...series.map((s, i) => {
        const { value, time } = at(s.values);
        const item = element('span', 'legend-item');
        const swatch = element('i', 'swatch');
        swatch.style.background = PALETTE[i % PALETTE.length];
        const out = element('b', '', formatValue(value));
        out.dataset.value = String(value);
        item.dataset.series = s.label;
        item.title = time === undefined ? '' : formatTime(time);
        item.append(swatch, element('span', 'legend-label', s.label), out);
        return item;
      }),
    );
  }
}
