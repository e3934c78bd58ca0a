// The header figures: ingest rate, row counts, database size.

import { formatBytes, formatCount, formatRate } from './format.js';

const METRIC_TABLES = ['trading_metrics', 'otel_histograms', 'otel_exp_histograms', 'otel_summaries'];
const GROUPS = {
  metrics: METRIC_TABLES,
  candles: ['trading_candles'],
  trades: ['trading_trades'],
  events: ['system_events'],
};

/** The header figures inside `root` (the `#stats` list). */
export class HeaderPanel {
  constructor(root, api) {
    this.api = api;
    this.root = root;
  }

  async refresh() {
    const summary = await this.api.get('dashboard/summary');
    const rows = new Map(summary.tables.map((t) => [t.table, t.rows]));
    this.set('ingest', formatRate(summary.ingestRowsPerSecond), summary.ingestRowsPerSecond);
    for (const [group, tables] of Object.entries(GROUPS)) {
      const count = tables.reduce((sum, t) => sum + (rows.get(t) ?? 0), 0);
      this.set(group, formatCount(count), count);
    }
    this.set('database', formatBytes(summary.databaseBytes), summary.databaseBytes);
  }

  set(field, text, value) {
    const el = this.root.querySelector(`[data-stat="${field}"]`);
    el.textContent = text;
    el.dataset.value = String(value);
  }
}
