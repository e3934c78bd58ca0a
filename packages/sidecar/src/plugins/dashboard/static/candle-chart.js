// Candlesticks with volume bars on one uPlot canvas: prices on the upper part, volume on the lower quarter.

import { followWidth, timeChartOptions } from './chart-theme.js';

export const UP_COLOR = '#26a69a';
export const DOWN_COLOR = '#ef5350';
const UP_VOLUME = 'rgba(38, 166, 154, 0.45)';
const DOWN_VOLUME = 'rgba(239, 83, 80, 0.45)';
const HEIGHT = 320;

/** Draws every candle: volume bar, wick, and body (at least 1px), centred on the candle's start time. */
function drawCandles(u, intervalSeconds) {
  const [ts, open, high, low, close, volume] = u.data;
  if (ts.length === 0) return;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const column = Math.abs(u.valToPos(ts[0] + intervalSeconds, 'x', true) - u.valToPos(ts[0], 'x', true));
  const body = Math.max(1, Math.floor(column * 0.7));
  const wick = Math.max(1, Math.round(devicePixelRatio));
  const volumeBase = u.valToPos(0, 'vol', true);
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  for (let i = 0; i < ts.length; i++) {
    const up = close[i] >= open[i];
    const x = Math.round(u.valToPos(ts[i], 'x', true));
    const yHigh = Math.round(u.valToPos(high[i], 'price', true));
    const yLow = Math.round(u.valToPos(low[i], 'price', true));
    const yOpen = Math.round(u.valToPos(open[i], 'price', true));
    const yClose = Math.round(u.valToPos(close[i], 'price', true));
    const yVolume = Math.round(u.valToPos(volume[i], 'vol', true));
    ctx.fillStyle = up ? UP_VOLUME : DOWN_VOLUME;
    ctx.fillRect(x - Math.floor(body / 2), yVolume, body, Math.max(1, volumeBase - yVolume));
    ctx.fillStyle = up ? UP_COLOR : DOWN_COLOR;
    ctx.fillRect(x - Math.floor(wick / 2), yHigh, wick, Math.max(1, yLow - yHigh));
    ctx.fillRect(
      x - Math.floor(body / 2),
      Math.min(yOpen, yClose),
      body,
      Math.max(1, Math.abs(yClose - yOpen)),
    );
  }
  ctx.restore();
}

/**
 * A candle chart in `el`. `onCursor(index | null)` follows the pointer over candles.
 * `update(candles, window, intervalSeconds)` redraws: candles are `{ ts (ms), open, high, low, close, volume }`.
 */
export class CandleChart {
  constructor(el, onCursor) {
    this.intervalSeconds = 60;
    this.window = { from: 0, to: 1 };
    const hidden = { paths: () => null, points: { show: false } };
    const base = timeChartOptions(el, HEIGHT, () => this.window, { scale: 'price' });
    this.plot = new uPlot(
      {
        ...base,
        cursor: { ...base.cursor, points: { show: false } },
        scales: {
          ...base.scales,
          price: {
            range: (_u, min, max) => {
              const span = max - min || Math.abs(max) * 0.01 || 1;
              return [min - span * 0.45, max + span * 0.08];
            },
          },
          vol: { range: (_u, _min, max) => [0, (max || 1) * 4] },
        },
        series: [
          {},
          ...['open', 'high', 'low', 'close'].map((label) => ({ label, scale: 'price', ...hidden })),
          { label: 'volume', scale: 'vol', ...hidden },
        ],
        hooks: {
          draw: [(u) => drawCandles(u, this.intervalSeconds)],
          setCursor: [(u) => onCursor(u.cursor.idx ?? null)],
        },
      },
      [[], [], [], [], [], []],
      el,
    );
    followWidth(el, HEIGHT, () => this.plot);
  }

  update(candles, window, intervalSeconds) {
    this.window = window;
    this.intervalSeconds = intervalSeconds;
    const column = (field) => candles.map((c) => c[field]);
    this.plot.setData([
      candles.map((c) => c.ts / 1000),
      column('open'),
      column('high'),
      column('low'),
      column('close'),
      column('volume'),
    ]);
  }
}
