import type { DucksidePlugin } from '../../plugin-api/plugin.ts';
import { SIDECAR_VERSION } from '../../plugin-api/version.ts';

/**
 * `GET /metrics`: the self-metrics registry in the Prometheus text format, plus database figures collected at
 * each scrape (file size, write queue, commits, pool, series limit) and process figures.
 * @example await host.register([selfMetricsPlugin]);
 */
export const selfMetricsPlugin: DucksidePlugin = {
  name: 'self-metrics',
  setup(ctx) {
    const { db, metrics: registry } = ctx;
    const writer = () => db.writerStats();
    registry.gauge('duckside_build_info', 'Version of the running sidecar', () => [
      { labels: { version: SIDECAR_VERSION, node: process.version }, value: 1 },
    ]);
    registry.gauge('duckside_db_file_size_bytes', 'Size of the database file plus its WAL', () =>
      db.fileSizeBytes(),
    );
    registry.gauge(
      'duckside_write_queue_bytes',
      'Bytes of writes waiting to be committed',
      () => writer().queuedBytes,
    );
    registry.gauge('duckside_write_queue_jobs', 'Writes waiting to be committed', () => writer().queuedJobs);
    registry.counter('duckside_db_commits_total', 'Group commits of the writer', () => writer().commits);
    registry.counter(
      'duckside_db_reopens_total',
      'Times the database file was reopened after DuckDB invalidated it (e.g. disk full during a checkpoint)',
      () => db.reopens,
    );
    registry.counter(
      'duckside_db_rows_written_total',
      'Rows committed by the writer',
      () => writer().rowsWritten,
    );
    registry.counter(
      'duckside_db_failed_writes_total',
      'Writes that failed to commit',
      () => writer().failedJobs,
    );
    registry.gauge('duckside_db_pool_connections', 'Database connections by state', () => {
      const p = db.poolStats();
      return [
        { labels: { state: 'borrowed' }, value: p.borrowed },
        { labels: { state: 'available' }, value: p.available },
        { labels: { state: 'open' }, value: p.size },
      ];
    });
    registry.gauge(
      'duckside_db_pool_pending',
      'Callers waiting for a connection',
      () => db.poolStats().pending,
    );
    registry.gauge('duckside_db_pool_max', 'Most connections of the pool', () => db.poolStats().max);
    const limit = () => db.seriesLimitStats();
    registry.gauge('duckside_series_limit', 'Most series per metric name (0: no limit)', () => limit().limit);
    registry.gauge(
      'duckside_series_limited_metrics',
      'Metric names that reached the series limit (new series go to their overflow series)',
      () => limit().limitedMetrics,
    );
    registry.counter(
      'duckside_series_overflow_points_total',
      'Points stored in an overflow series (otel.metric.overflow=true) because their metric was at the series limit, by metric (0 without a label until one overflows)',
      () => {
        const byMetric = Object.entries(limit().overflowPointsByMetric);
        return byMetric.length === 0 ? 0 : byMetric.map(([metric, value]) => ({ labels: { metric }, value }));
      },
    );
    registry.gauge('duckside_process_resident_memory_bytes', 'Resident memory of the process', () =>
      process.memoryUsage.rss(),
    );
    registry.gauge('duckside_process_uptime_seconds', 'Seconds since the process started', () =>
      process.uptime(),
    );
    ctx.app.get('/metrics', (c) =>
      c.body(registry.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
    );
  },
};
