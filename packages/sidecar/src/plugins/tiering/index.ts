import { ColdTier, type ColdTierStats, DATA_TABLES, type DataTable } from '@duckside/core';
import { z } from 'zod';
import type { DucksidePlugin } from '../../plugin-api/plugin.ts';

/** Options of the tiering plugin (from `--hot-days`, `--cold-dir`, `--offload-interval`, or config `plugins.tiering`). */
const tieringOptions = z.strictObject({
  /** Whole UTC days older than this many days move to Parquet; no cold tier without it. */
  hotDays: z.number().int().nonnegative().optional(),
  /** Folder of the Parquet files (the sidecar sets `<database>.cold`). */
  dir: z.string().min(1).optional(),
  /** How often a round runs (also once at start), in milliseconds. */
  intervalMs: z.number().int().positive().default(600_000),
  /** The retention ages (`--retention`): cold days that end before them are dropped whole. */
  maxAge: z.partialRecord(z.enum(DATA_TABLES), z.number().nonnegative()).default({}),
});

/** The tiering plugin's parsed options. */
export type TieringOptions = z.output<typeof tieringOptions>;

/**
 * The cold Parquet tier: opened at setup (so the first query already reads both tiers), then once at start and
 * every `intervalMs` a round moves days older than `hotDays` out of the database file and drops cold days past
 * the retention ages. One round at a time; shutdown waits for a running one. `/metrics` shows bytes per tier,
 * cold files and rows, rows moved and rounds by outcome. Idle without `hotDays`.
 * @example // duckside --hot-days 7  (files in ./data/duckside.duckdb.cold/)
 */
export const tieringPlugin: DucksidePlugin<TieringOptions> = {
  name: 'tiering',
  options: tieringOptions,
  async setup(ctx) {
    const { hotDays, dir, intervalMs, maxAge } = ctx.options;
    if (hotDays === undefined) {
      ctx.logger.debug('no cold tier configured');
      return;
    }
    if (dir === undefined)
      throw new Error('tiering: a cold tier needs a folder (--cold-dir) with an in-memory database');
    const moved = ctx.metrics.counter(
      'duckside_tier_moved_rows_total',
      'Rows moved from the database file to the cold tier',
    );
    const moves = ctx.metrics.counter(
      'duckside_tier_moves_total',
      'Days of a table moved to the cold tier (one file each)',
    );
    const tier = await ColdTier.open(ctx.db, {
      dir,
      hotDays,
      onStep: (step, m) => {
        if (step !== 'committed') return;
        moves.inc(1, { table: m.table });
        moved.inc(m.rows ?? 0, { table: m.table });
      },
    });
    let stats: ColdTierStats = await tier.stats();

    const dropped = ctx.metrics.counter(
      'duckside_tier_dropped_rows_total',
      'Cold rows dropped by retention (whole days)',
    );
    const rounds = ctx.metrics.counter('duckside_tier_rounds_total', 'Cold tier rounds by outcome');
    ctx.metrics.gauge(
      'duckside_tier_bytes',
      'Bytes on disk per tier (hot: database file and WAL; cold: Parquet files)',
      () => [
        { labels: { tier: 'hot' }, value: ctx.db.fileSizeBytes() },
        { labels: { tier: 'cold' }, value: stats.bytes },
      ],
    );
    ctx.metrics.gauge('duckside_tier_cold_files', 'Live Parquet files of the cold tier', () => stats.files);
    ctx.metrics.gauge('duckside_tier_cold_rows', 'Rows in the cold tier per table', () =>
      Object.entries(stats.tables).map(([table, t]) => ({ labels: { table }, value: t.rows })),
    );
    ctx.metrics.gauge('duckside_tier_hot_days', 'Configured days kept hot', () => hotDays);
    rounds.inc(0, { outcome: 'ok' });
    rounds.inc(0, { outcome: 'error' });

    const round = async () => {
      try {
        const report = await tier.offload();
        if (report.rows > 0) {
          ctx.logger.info('moved days to the cold tier', {
            rows: report.rows,
            files: report.moved.length,
            ms: Math.round(report.ms),
          });
          await ctx.db.checkpoint();
        }
        for (const [table, ageMs] of Object.entries(maxAge) as [DataTable, number][]) {
          const n = await tier.dropBefore(Date.now() - ageMs, table);
          dropped.inc(n, { table });
        }
        rounds.inc(1, { outcome: 'ok' });
      } catch (error) {
        rounds.inc(1, { outcome: 'error' });
        ctx.logger.error(
          'cold tier round failed (nothing of the failed move was lost; it is retried next round)',
          { error },
        );
      } finally {
        stats = await tier.stats().catch(() => stats);
      }
    };
    let running: Promise<void> | undefined;
    let timer: NodeJS.Timeout | undefined;
    const kick = () => {
      running ??= round().finally(() => {
        running = undefined;
      });
    };
    ctx.onStart(() => {
      kick();
      timer = setInterval(kick, intervalMs);
      timer.unref();
    });
    ctx.onStop(async () => {
      clearInterval(timer);
      await running;
      await tier.close();
    });
  },
};
