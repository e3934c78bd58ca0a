// uPlot options shared by the charts: UTC time axis, dark theme, no built-in legend, no drag zoom.

const AXIS = { stroke: '#9aa4b2', grid: { stroke: '#242a33' }, ticks: { stroke: '#242a33' } };

/**
 * Base options of a time chart `height` px high whose x range is `windowOf()` ({ from, to } ms);
 * `yAxis` is merged into the value axis.
 */
export function timeChartOptions(el, height, windowOf, yAxis = {}) {
  return {
    width: el.clientWidth || 800,
    height,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true, range: () => [windowOf().from / 1000, windowOf().to / 1000] } },
    axes: [{ ...AXIS }, { ...AXIS, size: 70, ...yAxis }],
  };
}

/** Keeps `plot` as wide as `el`. */
export function followWidth(el, height, plotOf) {
  new ResizeObserver(() => plotOf()?.setSize({ width: el.clientWidth, height })).observe(el);
}
