import { encodeAttributes, encodeLabels } from '../attributes/attributes.ts';
import { type Column, type Table, writtenColumns } from '../catalog/column.ts';
import {
  OTLP_LOG_COLUMNS,
  SYSTEM_EVENTS,
  TRADING_CANDLES,
  TRADING_TRADES,
} from '../catalog/trading-tables.ts';
import type { CandleRecord } from '../models/candle-record.ts';
import type { MetricRecord } from '../models/metric-record.ts';
import { type SystemEvent, severityLevel } from '../models/system-event.ts';
import type { TradeRecord } from '../models/trade-record.ts';
import { splitNanos } from '../time/index.ts';
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
    point.attributes = encodeLabels(r.labels);
    point.symbol = r.symbol;
    point.value = r.value;
    batch.pushScalar(applicationContext(r.name), point);
  }
  return batch;
}

/** Values the model does not hold as a property of the column's field name, by column name. */
type Derived<R> = Readonly<Record<string, (record: R) => unknown>>;

/** How records of one model become rows of one catalog table (built once, at module load). */
interface RecordLayout<R> {
  readonly table: string;
  readonly spec: readonly Column[];
  readonly derived: Derived<R>;
}

function recordLayout<R>(t: Table, derived: Derived<R> = {}): RecordLayout<R> {
  return Object.freeze({ table: t.name, spec: writtenColumns(t), derived });
}

/**
 * Rows of a catalog table from records, column by column: each column reads the record's property named by its
 * catalog `field` (a timestamp from unix nanoseconds to micros, undefined as null) unless `derived` computes it;
 * a `nanos` column's bigint values become its two arrays.
 */
function recordTable<R>(layout: RecordLayout<R>, records: readonly R[]): ColumnarTable {
  const columns = layout.spec.flatMap((c) => {
    const derive = layout.derived[c.name];
    const field = c.field as keyof R;
    const values = derive ? records.map(derive) : records.map((r) => r[field] ?? null);
    if (c.kind === 'nanos') return nanosColumns(values as (bigint | null)[]);
    return [c.kind === 'timestamp' && !derive ? values.map((v) => micros(v as bigint)) : values];
  });
  return { table: layout.table, spec: layout.spec, columns, length: records.length };
}

const micros = (nanos: bigint) => Number(nanos / 1000n);

/** The two arrays of a `nanos` column (micros, null when unset, and the remainder). */
function nanosColumns(values: readonly (bigint | null | undefined)[]): [(number | null)[], number[]] {
  const split = { micros: 0, nanos: 0 };
  const whole: (number | null)[] = [];
  const rest: number[] = [];
  for (const v of values) {
    if (v === null || v === undefined) {
      whole.push(null);
      rest.push(0);
    } else {
      splitNanos(v, split);
      whole.push(split.micros);
      rest.push(split.nanos);
    }
  }
  return [whole, rest];
}

const CANDLES = recordLayout<CandleRecord>(TRADING_CANDLES);
const TRADES = recordLayout<TradeRecord>(TRADING_TRADES);
const EVENTS = recordLayout<SystemEvent>(SYSTEM_EVENTS, {
  level: (e) => severityLevel(e.severity),
  attributes: (e) => encodeAttributes(e.typedAttributes()),
  // Events posted as JSON are not log records: their OTLP columns stay NULL.
  ...Object.fromEntries(OTLP_LOG_COLUMNS.map((c) => [c.name, () => null])),
});

/** Candles as `trading_candles` rows (staged and upserted by the writer). */
export function candlesTable(records: readonly CandleRecord[]): ColumnarTable {
  return recordTable(CANDLES, records);
}

/** Trades as `trading_trades` rows. */
export function tradesTable(records: readonly TradeRecord[]): ColumnarTable {
  return recordTable(TRADES, records);
}

/** Events as `system_events` rows (staged so that ids come from the sequence). */
export function eventsTable(records: readonly SystemEvent[]): ColumnarTable {
  return recordTable(EVENTS, records);
}
