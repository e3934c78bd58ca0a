// A distribution on uPlot: x is a value (bps), y the share of a series' items per bin, one line per series.

import { followWidth, valueChartOptions } from './chart-theme.js';
import { PALETTE } from './line-chart.js';

const HEIGHT = 240;

/** A distribution chart in `el`; `update({ centers, series: [{ label, values }] })` redraws. */
export class DistributionChart {
  constructor(el) {
    this.el = el;
    this.plot = null;
    followWidth(el, HEIGHT, () => this.plot);
  }

  update(data) {
    this.plot?.destroy();
    this.el.dataset.series = String(data.series.length);
    this.plot = new uPlot(
      {
        ...valueChartOptions(this.el, HEIGHT),
        series: [
          {},
          ...data.series.map((s, i) => ({
            label: s.label,
            stroke: PALETTE[i % PALETTE.length],
            width: 2,
          })),
        ],
      },
      [data.centers, ...data.series.map((s) => s.values)],
      this.el,
    );
  }
}
