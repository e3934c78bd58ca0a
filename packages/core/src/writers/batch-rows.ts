import { METRIC_KIND_TABLES, METRIC_SERIES } from '../catalog/metric-tables.ts';
import type { ColumnarTable } from './columnar-table.ts';
import type { MetricBatch } from './metric-batch.ts';

/** Rows of one columnar table as objects keyed by column name (`nanos` columns as `[micros, remainder]`). */
function tableRows(table: ColumnarTable): Record<string, unknown>[] {
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
  return rows;
}

/**
 * The rows a batch adds to each metric view (`trading_metrics`, `otel_histograms`, ...), before any database:
 * point columns joined with their series, keyed by column name without `series_id`; `ts` as unix micros and
 * `nanos` columns as `[micros, remainder]`. For tests and debugging of decoders and mappers.
 * @example batchRows(batch).trading_metrics?.[0]?.name
 */
export function batchRows(batch: MetricBatch): Record<string, Record<string, unknown>[]> {
  const tables = batch.toTables();
  const series = new Map<unknown, Record<string, unknown>>();
  for (const row of tables.flatMap((t) => (t.table === METRIC_SERIES.name ? tableRows(t) : []))) {
    const { series_id: id, ...identity } = row;
    series.set(id, identity);
  }
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of tables) {
    const kind = METRIC_KIND_TABLES.find((k) => k.points.name === table.table);
    if (!kind) continue;
    out[kind.view] = tableRows(table).map(({ series_id: id, ...point }) => ({ ...series.get(id), ...point }));
  }
  return out;
}
