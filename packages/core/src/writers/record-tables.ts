import { encodeAttributes } from '../attributes.ts';
import { type Table, writtenColumns } from '../catalog/column.ts';
import { SYSTEM_EVENTS, TRADING_CANDLES, TRADING_TRADES } from '../catalog/trading-tables.ts';
import type { CandleRecord } from '../models/candle-record.ts';
import type { MetricRecord } from '../models/metric-record.ts';
import { type SystemEvent, severityLevel } from '../models/system-event.ts';
import type { TradeRecord } from '../models/trade-record.ts';
import { splitNanos } from '../nanos.ts';
import type { ColumnarTable } from './columnar-table.ts';
import { emptyScalarPoint, emptySeriesContext } from './empty-points.ts';
import { MetricBatch, type SeriesContext } from './metric-batch.ts';

// Scratch objects for metricsBatch (synchronous; the batch copies what it keeps).
const split = { micros: 0, nanos: 0 };
const point = emptyScalarPoint();

/** One context object per application metric name (stable objects: the series cache finds them by identity). */
const contexts = new Map<string, SeriesContext>();

function applicationContext(name: string): SeriesContext {
  let context = contexts.get(name);
  if (!context) {
    if (contexts.size >= 10_000) contexts.clear();
    context = Object.freeze(emptySeriesContext(name));
    contexts.set(name, context);
  }
  return context;
}

/**
 * Application metrics as a batch of gauges without resource or scope (read back through `trading_metrics`).
 * @example await db.writeMetricBatch(metricsBatch([new MetricRecord('x', 1)]))
 */
export function metricsBatch(records: readonly MetricRecord[]): MetricBatch {
  const batch = new MetricBatch();
  for (const r of records) {
    splitNanos(r.timestamp, split);
    point.timeMicros = split.micros;
    point.timeNanos = split.nanos;
    point.attributes = encodeAttributes(r.attributes());
    point.symbol = r.symbol;
    point.value = r.value;
    batch.pushScalar(applicationContext(r.name), point);
  }
  return batch;
}

/** Values the model does not hold as a property of the column's field name, by column name. */
type Derived<R> = Readonly<Record<string, (record: R) => unknown>>;

/**
 * Rows of a catalog table from records, column by column: each column reads the record's property named by its
 * catalog `field` (a timestamp from unix nanoseconds to micros, undefined as null) unless `derived` computes it.
 */
function recordTable<R>(t: Table, records: readonly R[], derived: Derived<R> = {}): ColumnarTable {
  const spec = writtenColumns(t);
  const columns = spec.map((c) => {
    const derive = derived[c.name];
    if (derive) return records.map(derive);
    const field = c.field as keyof R;
    return c.kind === 'timestamp'
      ? records.map((r) => micros(r[field] as bigint))
      : records.map((r) => r[field] ?? null);
  });
  return { table: t.name, spec, columns, length: records.length };
}

const micros = (nanos: bigint) => Number(nanos / 1000n);

/** Candles as `trading_candles` rows (staged and upserted by the writer). */
export function candlesTable(records: readonly CandleRecord[]): ColumnarTable {
  return recordTable(TRADING_CANDLES, records);
}

/** Trades as `trading_trades` rows. */
export function tradesTable(records: readonly TradeRecord[]): ColumnarTable {
  return recordTable(TRADING_TRADES, records);
}

const EVENT_VALUES: Derived<SystemEvent> = {
  level: (e) => severityLevel(e.severity),
  attributes: (e) => encodeAttributes(e.typedAttributes()),
};

/** Events as `system_events` rows (staged so that ids come from the sequence). */
export function eventsTable(records: readonly SystemEvent[]): ColumnarTable {
  return recordTable(SYSTEM_EVENTS, records, EVENT_VALUES);
}
