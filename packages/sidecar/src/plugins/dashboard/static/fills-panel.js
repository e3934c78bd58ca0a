// Fill quality per strategy: the distribution of slippage or of a markout (share of fills per bps bin, one line
// per strategy) and a summary table, from /api/v1/analytics/fills.

import { DistributionChart } from './distribution-chart.js';
import { element, fillSelect } from './dom.js';
import { formatCount, formatValue } from './format.js';
import { PALETTE } from './line-chart.js';
import { Panel } from './panel.js';

const FIGURES = [
  ['slippage', 'slippage'],
  ['markout:0', 'markout 1s'],
  ['markout:1', 'markout 5s'],
  ['markout:2', 'markout 60s'],
];
const BINS = 24;
const LIMIT = 5000;

/** The value of `figure` of a fill row (bps), or null. */
function figureOf(fill, figure) {
  if (figure === 'slippage') return fill.slippageBps;
  return fill.markoutBps[Number(figure.split(':')[1])] ?? null;
}

/**
 * Shares of each strategy's values per bin: bins span the 2nd to 98th percentile of all values.
 * Returns `{ centers, series: [{ label, values }] }`.
 */
export function histogram(byStrategy, bins = BINS) {
  const all = [...byStrategy.values()].flat().sort((a, b) => a - b);
  if (all.length === 0) return { centers: [], series: [] };
  const lo = all[Math.floor(all.length * 0.02)];
  const hi = all[Math.min(all.length - 1, Math.floor(all.length * 0.98))];
  const width = hi > lo ? (hi - lo) / bins : 1;
  const centers = Array.from({ length: bins }, (_, i) => lo + (i + 0.5) * width);
  const series = [...byStrategy.entries()].map(([label, values]) => {
    const counts = new Array(bins).fill(0);
    for (const v of values) counts[Math.max(0, Math.min(bins - 1, Math.floor((v - lo) / width)))]++;
    return { label, values: counts.map((c) => c / values.length) };
  });
  return { centers, series };
}

/** The fills panel inside `root` (the `#fills-panel` section). */
export class FillsPanel extends Panel {
  constructor(root, api) {
    super(root, api, { mid: '#fills-mid', figure: '#fills-figure', legend: '#fills-legend', body: 'tbody' });
    this.chart = new DistributionChart(root.querySelector('#fills-chart'));
    fillSelect(this.figure, FIGURES);
  }

  state() {
    return { mid: this.mid.value, figure: this.figure.value };
  }

  /** Offers the scalar metric names as mids, preferring one whose name contains `mid`. */
  setCatalog(catalog, state = {}) {
    const names = catalog.metrics.filter((m) => m.kind === 'scalar').map((m) => m.name);
    fillSelect(
      this.mid,
      names.map((n) => [n, n]),
      state.mid ?? names.find((n) => n.includes('mid')),
    );
    if (state.figure) this.figure.value = state.figure;
  }

  /** Loads the fills of `window` and redraws. */
  async refresh(window) {
    if (!this.mid.value) {
      this.status.textContent = 'No metric to use as mid price.';
      return;
    }
    const body = await this.api.get('analytics/fills', {
      mid: this.mid.value,
      from: window.from,
      to: window.to,
      groupBy: 'strategy',
      limit: LIMIT,
    });
    const byStrategy = new Map();
    for (const fill of body.data) {
      const value = figureOf(fill, this.figure.value);
      if (value === null) continue;
      const key = fill.strategy ?? '(none)';
      if (!byStrategy.has(key)) byStrategy.set(key, []);
      byStrategy.get(key).push(value);
    }
    const distribution = histogram(byStrategy);
    this.chart.update(distribution);
    this.legend.replaceChildren(
      ...distribution.series.map((s, i) => {
        const item = element('span', 'legend-item');
        const swatch = element('i', 'swatch');
        swatch.style.background = PALETTE[i % PALETTE.length];
        item.dataset.series = s.label;
        item.append(
          swatch,
          element('span', 'legend-label', `${s.label} (${byStrategy.get(s.label).length})`),
        );
        return item;
      }),
    );
    this.body.replaceChildren(...body.summary.map((s) => this.summaryRow(s)));
    this.status.textContent =
      body.count === 0
        ? 'No fills in this range.'
        : `${formatCount(body.count)} fills${body.truncated ? ' (the newest cut by the row cap)' : ''}; share of fills per bps bin`;
    this.rendered();
  }

  summaryRow(s) {
    const row = element('tr');
    const cells = [
      s.strategy ?? '(none)',
      formatCount(s.fills),
      formatValue(round(s.slippageBps.avg)),
      ...s.markouts.map((m) => formatValue(round(m.avg))),
      formatValue(round(s.markouts.at(-1)?.negativeShare)),
    ];
    row.append(...cells.map((text, i) => element('td', i === 0 ? 'name' : 'num', text)));
    return row;
  }
}

function round(v) {
  return v === null || v === undefined ? null : Math.round(v * 100) / 100;
}
