// uPlot options shared by the charts: UTC time axis, dark theme, no built-in legend, no drag zoom.

const AXIS = { stroke: '#9aa4b2', grid: { stroke: '#242a33' }, ticks: { stroke: '#242a33' } };
const utc = (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

/** Time labels in UTC, 24-hour: HH:MM, with the day (MM-DD HH:MM) when the range spans more than two days. */
function timeLabels(u, splits) {
  const format = uPlot.fmtDate(
    u.scales.x.max - u.scales.x.min > 2 * 86_400 ? '{MM}-{DD} {HH}:{mm}' : '{HH}:{mm}',
  );
  return splits.map((s) => format(utc(s)));
}

/**
 * Base options of a time chart `height` px high whose x range is `windowOf()` ({ from, to } ms);
 * `yAxis` is merged into the value axis.
 */
export function timeChartOptions(el, height, windowOf, yAxis = {}) {
  return {
    width: el.clientWidth || 800,
    height,
    tzDate: utc,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true, range: () => [windowOf().from / 1000, windowOf().to / 1000] } },
    axes: [
      { ...AXIS, values: timeLabels },
      { ...AXIS, size: 70, ...yAxis },
    ],
  };
}

/** Base options of a chart `height` px high whose x axis is a plain value (e.g. bps), not time. */
export function valueChartOptions(el, height) {
  return {
    width: el.clientWidth || 800,
    height,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false } },
    axes: [
      { ...AXIS, label: 'bps' },
      { ...AXIS, size: 60, label: 'share of fills' },
    ],
  };
}

/** Keeps `plot` as wide as `el`. */
export function followWidth(el, height, plotOf) {
  new ResizeObserver(() => plotOf()?.setSize({ width: el.clientWidth, height })).observe(el);
}
