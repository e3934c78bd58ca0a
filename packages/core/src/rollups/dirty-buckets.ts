import { HISTOGRAM_KIND, SCALAR_KIND } from '../catalog/metric-tables.ts';
import { DirtySource, ROLLUP_DIRTY } from '../catalog/rollup-tables.ts';
import { TRADING_TRADES } from '../catalog/trading-tables.ts';
import { type ColumnarTable, type ColumnSpec, emptyColumns } from '../writers/columnar-table.ts';

/** Index of a column's (first) array in a columnar table. */
function arrayIndex(spec: readonly ColumnSpec[], name: string): number {
  let index = 0;
  for (const c of spec) {
    if (c.name === name) return index;
    index += c.kind === 'nanos' ? 2 : 1;
  }
  throw new Error(`no column ${name}`);
}

/** The `rollup_dirty` rows being gathered for one write, each (series or market, bucket) once. */
class DirtyRows {
  readonly columns = emptyColumns(ROLLUP_DIRTY.columns);
  private readonly seen = new Set<string>();
  length = 0;
  constructor(private readonly widthMicros: number) {}

  add(
    key: string,
    source: number,
    seriesId: bigint,
    symbol: string | null,
    venue: string | null,
    bucket: number,
  ) {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const [s, id, sym, ven, b, w] = this.columns as unknown[][];
    s!.push(source);
    id!.push(seriesId);
    sym!.push(symbol);
    ven!.push(venue);
    b!.push(bucket);
    w!.push(this.widthMicros / 1e6);
    this.length++;
  }

  bucketOf(micros: number): number {
    return Math.floor(micros / this.widthMicros) * this.widthMicros;
  }
}

function addPoints(rows: DirtyRows, t: ColumnarTable, source: number): void {
  const ids = t.columns[arrayIndex(t.spec, 'series_id')] as bigint[];
  const times = t.columns[arrayIndex(t.spec, 'ts')] as number[];
  let lastId: bigint | undefined;
  let lastBucket = Number.NaN;
  for (let i = 0; i < t.length; i++) {
    const id = ids[i] as bigint;
    const bucket = rows.bucketOf(times[i] as number);
    // Points of a series come in runs: only a change of series or bucket needs the set.
    if (id === lastId && bucket === lastBucket) continue;
    lastId = id;
    lastBucket = bucket;
    rows.add(`${source}|${id}|${bucket}`, source, id, null, null, bucket);
  }
}

function addTrades(rows: DirtyRows, t: ColumnarTable): void {
  const times = t.columns[arrayIndex(t.spec, 'ts')] as number[];
  const symbols = t.columns[arrayIndex(t.spec, 'symbol')] as string[];
  const venues = t.columns[arrayIndex(t.spec, 'venue')] as string[];
  for (let i = 0; i < t.length; i++) {
    const bucket = rows.bucketOf(times[i] as number);
    const symbol = symbols[i] as string;
    const venue = venues[i] as string;
    rows.add(JSON.stringify([symbol, venue, bucket]), DirtySource.Trade, 0n, symbol, venue, bucket);
  }
}

/**
 * The `rollup_dirty` rows of a write: one per (series, bucket) of its scalar and explicit-histogram points and per (symbol, venue,
 * bucket) of its trades, buckets `widthSeconds` wide (the finest level). Undefined when the write touches neither.
 * Written in the same transaction as the rows, so a committed point always has its bucket marked.
 * @example const dirty = dirtyBuckets(batch.toTables(), 60); if (dirty) tables.push(dirty);
 */
export function dirtyBuckets(
  tables: readonly ColumnarTable[],
  widthSeconds: number,
): ColumnarTable | undefined {
  const rows = new DirtyRows(widthSeconds * 1e6);
  for (const t of tables) {
    if (t.catalog !== undefined) continue;
    if (t.table === SCALAR_KIND.points.name) addPoints(rows, t, DirtySource.Metric);
    else if (t.table === HISTOGRAM_KIND.points.name) addPoints(rows, t, DirtySource.Histogram);
    else if (t.table === TRADING_TRADES.name) addTrades(rows, t);
  }
  if (rows.length === 0) return undefined;
  return {
    table: ROLLUP_DIRTY.name,
    spec: ROLLUP_DIRTY.columns,
    columns: rows.columns,
    length: rows.length,
    bookkeeping: true,
  };
}
