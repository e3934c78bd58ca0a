// The market panel: symbol, source and interval pickers, the candle chart and its OHLCV legend.

import { CandleChart } from './candle-chart.js';
import { fillSelect } from './dom.js';
import { formatTime, formatValue } from './format.js';
import { Panel } from './panel.js';
import { alignWindow, intervalSeconds, PRESETS, pickStoredInterval } from './time-range.js';

const BUILT_INTERVALS = ['15s', '1m', '5m', '15m', '1h', '2h', '4h', '1d'];
const LEGEND_FIELDS = ['open', 'high', 'low', 'close', 'volume'];

/** The candle panel inside `root` (the `#candle-panel` section). */
export class CandlePanel extends Panel {
  constructor(root, api) {
    super(root, api, {
      symbol: '#candle-symbol',
      source: '#candle-source',
      interval: '#candle-interval',
      legend: '#candle-legend',
    });
    this.markets = [];
    this.candles = [];
    this.chart = new CandleChart(root.querySelector('#candle-chart'), (index) => this.showLegend(index));
  }

  /** Offers the symbols of the catalog; `state` holds the choices to restore. */
  setMarkets(markets, state = {}) {
    this.markets = markets;
    fillSelect(
      this.symbol,
      markets.map((m) => [m.symbol, m.symbol]),
      state.symbol,
    );
    this.updateSources(state);
  }

  /** Sources and intervals for the chosen symbol. */
  updateSources(state = {}) {
    const market = this.markets.find((m) => m.symbol === this.symbol.value);
    const sources = [];
    if (market?.intervals.length) sources.push(['stored', 'stored candles']);
    if (market?.trades) sources.push(['trades', 'built from trades']);
    fillSelect(this.source, sources, state.source);
    const intervals = this.source.value === 'stored' ? (market?.intervals ?? []) : BUILT_INTERVALS;
    fillSelect(this.interval, [['auto', 'auto'], ...intervals.map((i) => [i, i])], state.interval);
  }

  /** The choices, for the page's address. */
  state() {
    return { symbol: this.symbol.value, source: this.source.value, interval: this.interval.value };
  }

  /** Loads the candles of the chosen symbol in `window` ({ from, to } ms) for range `preset`. */
  async refresh(window, preset) {
    const market = this.markets.find((m) => m.symbol === this.symbol.value);
    if (!market) {
      this.candles = [];
      this.chart.update([], window, 60);
      this.setStatus('No candles or trades yet.');
      return;
    }
    const source = this.source.value;
    let interval = this.interval.value;
    if (interval === 'auto') {
      interval =
        source === 'stored'
          ? pickStoredInterval(market.intervals, window.to - window.from)
          : PRESETS[preset].candleInterval;
    }
    const seconds = intervalSeconds(interval);
    const range = alignWindow(window, seconds);
    const body = await this.api.get('candles', {
      symbol: market.symbol,
      interval,
      source,
      from: range.from,
      to: range.to,
    });
    this.candles = body.data.map((c) => ({
      ts: Date.parse(c.timestamp),
      open: c.open,
      high: c.high,
      low: c.low,
      close: c.close,
      volume: c.volume,
    }));
    this.root.dataset.interval = interval;
    // Half a candle of room on each side, so that the first and last bodies show whole.
    const half = (seconds * 1000) / 2;
    this.chart.update(this.candles, { from: range.from - half, to: range.to + half }, seconds);
    this.setStatus(
      this.candles.length === 0
        ? `No ${interval} candles for ${market.symbol} in this range.`
        : `${this.candles.length} candles of ${interval}${body.truncated ? ' (truncated)' : ''}`,
    );
    this.showLegend(null);
    this.rendered();
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  /** Shows candle `index`, or the last one when null. */
  showLegend(index) {
    const candle = this.candles[index ?? this.candles.length - 1];
    this.legend.hidden = candle === undefined;
    if (!candle) return;
    this.legend.querySelector('[data-field="time"]').textContent = formatTime(candle.ts);
    for (const field of LEGEND_FIELDS) {
      const el = this.legend.querySelector(`[data-field="${field}"]`);
      el.textContent = formatValue(candle[field]);
      el.dataset.value = String(candle[field]);
    }
    this.legend.classList.toggle('down', candle.close < candle.open);
  }
}
