import type { DataTable } from '@duckside/core';
import type { DucksidePlugin } from '../plugin.ts';

/** Retention settings: the maximum age of rows per table (milliseconds) and how often to apply them. */
export interface RetentionOptions {
  maxAge: Partial<Record<DataTable, number>>;
  intervalMs: number;
}

/**
 * Deletes rows older than each table's maximum age, once at start and then every `intervalMs`. One pass runs at a
 * time; shutdown waits for a running pass. `/metrics` shows deleted rows per table, passes by outcome, the time of
 * the last pass and the configured ages.
 * @example await host.register([retentionPlugin({ maxAge: { trading_metrics: 30 * 86_400_000 }, intervalMs: 3_600_000 })]);
 */
export function retentionPlugin(options: RetentionOptions): DucksidePlugin {
  return {
    name: 'retention',
    setup(ctx) {
      const tables = Object.entries(options.maxAge) as Array<[DataTable, number]>;
      const deleted = ctx.metrics.counter(
        'duckside_retention_deleted_rows_total',
        'Rows deleted by retention',
      );
      const runs = ctx.metrics.counter('duckside_retention_runs_total', 'Retention passes by outcome');
      const lastRun = ctx.metrics.gauge(
        'duckside_retention_last_run_timestamp_seconds',
        'Unix time of the last finished retention pass',
      );
      ctx.metrics.gauge('duckside_retention_max_age_seconds', 'Configured maximum age per table', () =>
        tables.map(([table, ms]) => ({ labels: { table }, value: ms / 1000 })),
      );
      if (tables.length === 0) {
        ctx.logger.debug('no retention configured');
        return;
      }
      for (const [table] of tables) deleted.inc(0, { table });

      let running: Promise<void> | undefined;
      let timer: NodeJS.Timeout | undefined;
      const pass = async () => {
        let outcome = 'ok';
        for (const [table, ageMs] of tables) {
          try {
            const n = await ctx.db.deleteOlderThan(table, Math.max(0, Date.now() - ageMs));
            deleted.inc(n, { table });
            if (n > 0) ctx.logger.info('retention deleted old rows', { table, rows: n });
          } catch (error) {
            outcome = 'error';
            ctx.logger.error('retention failed', { table, error });
          }
        }
        runs.inc(1, { outcome });
        lastRun.set(Date.now() / 1000);
      };
      const trigger = () => {
        running ??= pass().finally(() => {
          running = undefined;
        });
      };
      ctx.onStart(() => {
        trigger();
        timer = setInterval(trigger, options.intervalMs);
        timer.unref();
      });
      ctx.onStop(async () => {
        clearInterval(timer);
        await running;
      });
    },
  };
}
