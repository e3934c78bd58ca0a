import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { appendTable, type Database, type MetricBatch } from '@duckside/core';

/**
 * Writes batches of metric points in ONE commit without blocking the event loop for the whole lot:
 * a single batch goes through core's group-commit writer (`db.writeMetricBatch`); several go through one
 * transaction in which each batch is produced, appended and followed by a turn of the event loop, so that the
 * caller's work (mapping the next slice) and the appends are interleaved in short synchronous steps.
 * Resolves only after the commit; rejects (and rolls back everything) on any failure.
 * @example await writeSliced(db, mapper.slices(resourceMetrics, 1024));
 */
export async function writeSliced(db: Database, batches: Iterator<MetricBatch, void>): Promise<void> {
  const first = batches.next();
  if (first.done) return;
  const second = batches.next();
  if (second.done) {
    await db.writeMetricBatch(first.value);
    return;
  }
  await db.transaction(async (connection) => {
    let next: IteratorResult<MetricBatch, void> = first;
    let pending: IteratorResult<MetricBatch, void> | undefined = second;
    while (!next.done) {
      for (const table of next.value.toTables()) await appendTable(connection, table);
      await yieldToEventLoop();
      next = pending ?? batches.next();
      pending = undefined;
    }
  });
}
