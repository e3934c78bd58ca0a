/** Fewest and most rows between two appender flushes. */
export const MIN_ROWS_PER_FLUSH = 4096;
export const MAX_ROWS_PER_FLUSH = 65_536;
/** How long one flush should hold the event loop. */
const TARGET_MS = 4;

/**
 * Chooses, per table, how many rows to append between two flushes of a DuckDB appender. A flush runs on the
 * event loop and costs a fixed ~0.25 ms plus a per-row part that depends on the table's columns and on the machine's
 * load; fewer, larger flushes write faster (measured ~1.2x for scalar points from 4096 to 65536 rows), smaller
 * ones keep the loop responsive. The pacer doubles a table's rows while its flushes take under half the target and
 * halves them when one takes over twice the target, between 4096 and 65536 rows.
 * @example const rows = pacer.rowsPerFlush('main.metric_points'); pacer.observe('main.metric_points', rows, 1.2);
 */
export class FlushPacer {
  private readonly rows = new Map<string, number>();

  /** Rows to append before the next flush of `table`. */
  rowsPerFlush(table: string): number {
    return this.rows.get(table) ?? MIN_ROWS_PER_FLUSH;
  }

  /** Records that flushing `rows` rows of `table` took `ms`, and adjusts the table's rows. */
  observe(table: string, rows: number, ms: number): void {
    const current = this.rowsPerFlush(table);
    if (rows < current) return;
    if (ms < TARGET_MS / 2) this.rows.set(table, Math.min(MAX_ROWS_PER_FLUSH, current * 2));
    else if (ms > TARGET_MS * 2) this.rows.set(table, Math.max(MIN_ROWS_PER_FLUSH, current / 2));
  }
}
