import type { Database, DownsampleOptions } from '@duckside/core';
import type { Logger, SelfMetrics } from '../../plugin-api/plugin.ts';

/**
 * `--downsample`: one downsampling pass per retention pass (`db.downsample`): raw rows and rollup rows past their
 * keep-for are removed in batches of about 50 ms, then unreferenced series. `/metrics` counts removed rows by
 * table and level (`level="raw"` for raw tables), removed series, and the raw horizon. Returns the pass, which
 * resolves to whether it succeeded.
 * @example const step = downsampleStep(db, logger, metrics, { rawMaxAgeMs: 14 * 86_400_000 }); await step();
 */
export function downsampleStep(
  db: Database,
  logger: Logger,
  metrics: SelfMetrics,
  options: Omit<DownsampleOptions, 'now'>,
): () => Promise<boolean> {
  const rows = metrics.counter(
    'duckside_downsample_deleted_rows_total',
    'Rows removed by downsampling retention, by table and level (raw for raw rows)',
  );
  const series = metrics.counter(
    'duckside_downsample_deleted_series_total',
    'Series rows removed because no point refers to them any more',
  );
  const horizon = metrics.gauge(
    'duckside_downsample_raw_horizon_timestamp_seconds',
    'Raw rows before this time were removed; rollups answer for it',
  );
  series.inc(0);
  return async () => {
    try {
      const report = await db.downsample(options);
      for (const [key, n] of Object.entries(report.deleted)) {
        const [table, level] = key.split(':');
        rows.inc(n, { table: table as string, level: level ?? 'raw' });
      }
      series.inc(report.series);
      if (report.rawHorizonMs !== null) horizon.set(report.rawHorizonMs / 1000);
      const total = Object.values(report.deleted).reduce((a, b) => a + b, 0);
      if (total > 0 || report.series > 0) {
        logger.info('downsampling removed old rows', {
          rows: total,
          series: report.series,
          batches: report.batches,
        });
      }
      return true;
    } catch (error) {
      logger.error('downsampling failed', { error });
      return false;
    }
  };
}
