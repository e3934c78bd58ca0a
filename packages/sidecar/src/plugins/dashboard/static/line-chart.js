// Time series lines on uPlot, for the metric explorer. The chart is rebuilt when the set of series changes.

import { followWidth, timeChartOptions } from './chart-theme.js';

/** Series colours, in order. */
export const PALETTE = [
  '#4dabf7',
  '#ffa94d',
  '#e599f7',
  '#69db7c',
  '#ff8787',
  '#ffd43b',
  '#38d9a9',
  '#a5d8ff',
];
const HEIGHT = 280;

/**
 * A line chart in `el`. `update({ times (ms[]), series: [{ label, values }] }, window)` redraws;
 * `onCursor(index | null)` follows the pointer.
 */
export class LineChart {
  constructor(el, onCursor) {
    this.el = el;
    this.onCursor = onCursor;
    this.plot = null;
    this.labels = '';
    this.window = { from: 0, to: 1 };
    followWidth(el, HEIGHT, () => this.plot);
  }

  update(data, window) {
    this.window = window;
    const labels = data.series.map((s) => s.label).join('\u0000');
    const columns = [data.times.map((t) => t / 1000), ...data.series.map((s) => s.values)];
    if (this.plot && labels === this.labels) {
      this.plot.setData(columns);
      return;
    }
    this.plot?.destroy();
    this.labels = labels;
    this.plot = new uPlot(
      {
        ...timeChartOptions(this.el, HEIGHT, () => this.window),
        series: [
          {},
          ...data.series.map((s, i) => ({
            label: s.label,
            stroke: PALETTE[i % PALETTE.length],
            width: 2,
            points: { show: data.times.length < 60 },
          })),
        ],
        hooks: { setCursor: [(u) => this.onCursor(u.cursor.idx ?? null)] },
      },
      columns,
      this.el,
    );
  }
}
