import { DATA_TABLES, type DataTable } from '@duckside/core';
import { z } from 'zod';
import type { DucksidePlugin } from '../../plugin-api/plugin.ts';
import { downsampleStep } from './downsample-step.ts';
import { sizeWatch } from './size-watch.ts';

/** Options of the retention plugin (from `--retention` and `--retention-interval`, or config `plugins.retention`). */
const retentionOptions = z.strictObject({
  /** The maximum age of rows per table, in milliseconds. */
  maxAge: z.partialRecord(z.enum(DATA_TABLES), z.number().nonnegative()).default({}),
  /** How often retention runs (also once at start), in milliseconds. */
  intervalMs: z.number().int().positive().default(3_600_000),
  /** `--max-db-size`: trim the oldest rows once the database holds more bytes than this (off without it). */
  maxDbBytes: z.number().int().positive().optional(),
  /** How often the size is checked against `maxDbBytes`, in milliseconds. */
  sizeCheckIntervalMs: z.number().int().positive().default(10_000),
  /** Most rows one size-retention batch deletes (core's default without it). */
  sizeBatchRows: z.number().int().positive().optional(),
  /** `--downsample`: keep-for of raw rows and of each rollup level (ms; core's `db.downsample`). */
  downsample: z
    .strictObject({
      rawMaxAgeMs: z.number().nonnegative().optional(),
      levelMaxAgeMs: z.record(z.string(), z.number().nonnegative()).default({}),
    })
    .optional(),
});

/** The retention plugin's parsed options. */
export type RetentionOptions = z.output<typeof retentionOptions>;

/**
 * Deletes rows older than each table's maximum age, once at start and then every `intervalMs`. One pass runs at a
 * time; shutdown waits for a running pass. `/metrics` shows deleted rows per table, passes by outcome, the time of
 * the last pass and the configured ages. With `maxDbBytes`, also keeps the database under that size (see
 * `sizeWatch`); with `downsample`, each pass also runs downsampling retention (see `downsampleStep`).
 * @example await host.register([retentionPlugin]); // config: { "plugins": { "retention": { "maxAge": { "trading_metrics": 2592000000 } } } }
 */
export const retentionPlugin: DucksidePlugin<RetentionOptions> = {
  name: 'retention',
  options: retentionOptions,
  setup(ctx) {
    const { options } = ctx;
    const tables = Object.entries(options.maxAge) as Array<[DataTable, number]>;
    const deleted = ctx.metrics.counter('duckside_retention_deleted_rows_total', 'Rows deleted by retention');
    const runs = ctx.metrics.counter('duckside_retention_runs_total', 'Retention passes by outcome');
    const lastRun = ctx.metrics.gauge(
      'duckside_retention_last_run_timestamp_seconds',
      'Unix time of the last finished retention pass',
    );
    ctx.metrics.gauge('duckside_retention_max_age_seconds', 'Configured maximum age per table', () =>
      tables.map(([table, ms]) => ({ labels: { table }, value: ms / 1000 })),
    );
    if (options.maxDbBytes !== undefined) {
      const watch = sizeWatch(ctx.db, ctx.logger, ctx.metrics, {
        maxDbBytes: options.maxDbBytes,
        checkIntervalMs: options.sizeCheckIntervalMs,
        ...(options.sizeBatchRows ? { batchRows: options.sizeBatchRows } : {}),
      });
      ctx.onStart(() => watch.start());
      ctx.onStop(() => watch.stop());
    }
    const downsampling =
      options.downsample && downsampleStep(ctx.db, ctx.logger, ctx.metrics, options.downsample);
    if (tables.length === 0 && !downsampling) {
      ctx.logger.debug('no age retention configured');
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
      if (downsampling && !(await downsampling())) outcome = 'error';
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
