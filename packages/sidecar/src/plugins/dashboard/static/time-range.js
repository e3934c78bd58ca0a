// Time range presets and the bucket widths that keep every chart bounded (a few hundred buckets at most).

/** Presets: width in ms, metric bucket and built-candle width. */
export const PRESETS = {
  '15m': { ms: 15 * 60_000, metricInterval: '10s', candleInterval: '15s' },
  '1h': { ms: 3_600_000, metricInterval: '30s', candleInterval: '1m' },
  '24h': { ms: 86_400_000, metricInterval: '5m', candleInterval: '15m' },
  '7d': { ms: 7 * 86_400_000, metricInterval: '1h', candleInterval: '2h' },
};

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, M: 2_592_000 };

/** Seconds in an interval like '5m'; NaN when it is not one. */
export function intervalSeconds(interval) {
  const m = /^(\d+)([smhdwM])$/.exec(interval);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]] : Number.NaN;
}

/** The window of a preset ending now: `{ from, to }` in unix ms, `to` rounded up to the next second. */
export function windowOf(preset, now = Date.now()) {
  const to = Math.ceil(now / 1000) * 1000;
  return { from: to - PRESETS[preset].ms, to };
}

/**
 * Of the stored candle intervals, the one giving the most candles without going over `maxCandles` in the window
 * (the coarsest one when all go over).
 */
export function pickStoredInterval(intervals, windowMs, maxCandles = 500) {
  const sorted = [...intervals].sort((a, b) => intervalSeconds(a) - intervalSeconds(b));
  return sorted.find((i) => windowMs / 1000 / intervalSeconds(i) <= maxCandles) ?? sorted[sorted.length - 1];
}

/** The window with `from` moved back to a bucket boundary, so that the first bucket is whole. */
export function alignWindow(window, seconds) {
  const width = seconds * 1000;
  return { from: Math.floor(window.from / width) * width, to: window.to };
}
