import { type Database, type SizeRetentionReport, SystemEvent } from '@duckside/core';
import type { Logger, SelfMetrics } from '../../plugin-api/plugin.ts';

/** How the size watch is set up (see the retention plugin's options). */
export interface SizeWatchOptions {
  maxDbBytes: number;
  checkIntervalMs: number;
  batchRows?: number;
}

/**
 * `--max-db-size`: every `checkIntervalMs`, once the file and its WAL take more than `maxDbBytes`, trims the
 * database to 90% of it in used bytes (`db.trimToSize`). A pass that deleted rows is logged (warn), recorded as a `warning` system event
 * (source `duckside.retention`) and counted in `/metrics`. Returns `check` (one pass; passes never overlap) and
 * `stop` (clears the timer and waits for a running pass).
 * @example const watch = sizeWatch(db, logger, metrics, { maxDbBytes: 2 ** 30, checkIntervalMs: 10_000 }); watch.start();
 */
export function sizeWatch(db: Database, logger: Logger, metrics: SelfMetrics, options: SizeWatchOptions) {
  const deleted = metrics.counter(
    'duckside_retention_size_deleted_rows_total',
    'Rows deleted because the database outgrew --max-db-size, by table',
  );
  const passes = metrics.counter(
    'duckside_retention_size_passes_total',
    'Size checks by outcome (under-limit, checkpointed, target-reached, nothing-to-delete, max-batches, error)',
  );
  const used = metrics.gauge(
    'duckside_db_used_bytes',
    'Bytes of the database file in use, WAL included (at the last size check)',
  );
  metrics.gauge('duckside_db_max_size_bytes', 'Configured --max-db-size', () => options.maxDbBytes);

  const pass = async () => {
    try {
      const report = await db.trimToSize({
        maxBytes: options.maxDbBytes,
        ...(options.batchRows ? { batchRows: options.batchRows } : {}),
      });
      passes.inc(1, { outcome: report.outcome });
      used.set(report.after.usedBytes);
      if (report.batches > 0) await announce(report);
    } catch (error) {
      passes.inc(1, { outcome: 'error' });
      logger.error('size retention failed', { error });
    }
  };

  const announce = async (report: SizeRetentionReport) => {
    for (const [table, rows] of Object.entries(report.deleted)) deleted.inc(rows, { table });
    const fields = {
      maxDbBytes: options.maxDbBytes,
      usedBytesBefore: report.before.usedBytes,
      usedBytesAfter: report.after.usedBytes,
      fileBytes: report.after.fileBytes,
      batches: report.batches,
      outcome: report.outcome,
    };
    logger.warn('the database outgrew --max-db-size: deleted the oldest rows', {
      ...fields,
      deleted: report.deleted,
    });
    const rows = Object.fromEntries(Object.entries(report.deleted).map(([t, n]) => [`deleted.${t}`, n]));
    await db
      .insertEvents([
        new SystemEvent({
          severity: 'warning',
          source: 'duckside.retention',
          message: `the database outgrew --max-db-size (${options.maxDbBytes} bytes): deleted the oldest rows`,
          attributes: { ...fields, ...rows },
        }),
      ])
      .catch((error: unknown) => logger.error('could not record the size retention event', { error }));
  };

  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const check = (): Promise<void> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };
  return {
    check,
    start() {
      void check();
      timer = setInterval(check, options.checkIntervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
