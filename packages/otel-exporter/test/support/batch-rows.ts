import type { MetricBatch } from '@duckside/core';

/** The rows of a batch per table, as objects keyed by column name (`nanos` columns as `[micros, nanos]`). */
export function batchRows(batch: MetricBatch): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of batch.toTables()) {
    const rows: Record<string, unknown>[] = [];
    for (let r = 0; r < table.length; r++) {
      const row: Record<string, unknown> = {};
      let a = 0;
      for (const spec of table.spec) {
        const value = table.columns[a]![r];
        if (spec.kind === 'nanos') {
          row[spec.name] = value === null ? null : [value, table.columns[a + 1]![r]];
          a += 2;
        } else {
          row[spec.name] = value;
          a += 1;
        }
      }
      rows.push(row);
    }
    out[table.table] = rows;
  }
  return out;
}
