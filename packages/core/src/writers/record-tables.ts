import { encodeAttributes } from '../attributes.ts';
import type { CandleRecord } from '../models/candle-record.ts';
import type { MetricRecord } from '../models/metric-record.ts';
import { type SystemEvent, severityLevel } from '../models/system-event.ts';
import type { TradeRecord } from '../models/trade-record.ts';
import { splitNanos } from '../time/index.ts';
import type { ColumnarTable, ColumnSpec } from './columnar-table.ts';
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

function table(name: string, spec: ColumnSpec[], rows: unknown[][]): ColumnarTable {
  const columns: unknown[][] = spec.map(() => []);
  for (const row of rows) for (let c = 0; c < spec.length; c++) columns[c]!.push(row[c]);
  return { table: name, spec, columns, length: rows.length };
}

const micros = (nanos: bigint) => Number(nanos / 1000n);

/** Candles as `trading_candles` rows (staged and upserted by the writer). */
export function candlesTable(records: readonly CandleRecord[]): ColumnarTable {
  return table(
    'trading_candles',
    [
      { name: 'symbol', kind: 'varchar' },
      { name: 'venue', kind: 'varchar' },
      { name: 'interval', kind: 'varchar' },
      { name: 'ts', kind: 'timestamp' },
      { name: 'open', kind: 'double' },
      { name: 'high', kind: 'double' },
      { name: 'low', kind: 'double' },
      { name: 'close', kind: 'double' },
      { name: 'volume', kind: 'double' },
    ],
    records.map((c) => [
      c.symbol,
      c.venue,
      c.interval,
      micros(c.timestamp),
      c.open,
      c.high,
      c.low,
      c.close,
      c.volume,
    ]),
  );
}

/** Trades as `trading_trades` rows. */
export function tradesTable(records: readonly TradeRecord[]): ColumnarTable {
  return table(
    'trading_trades',
    [
      { name: 'ts', kind: 'timestamp' },
      { name: 'symbol', kind: 'varchar' },
      { name: 'venue', kind: 'varchar' },
      { name: 'side', kind: 'varchar' },
      { name: 'quantity', kind: 'double' },
      { name: 'price', kind: 'double' },
      { name: 'fee', kind: 'double' },
      { name: 'order_id', kind: 'varchar' },
      { name: 'trade_id', kind: 'varchar' },
      { name: 'strategy', kind: 'varchar' },
    ],
    records.map((t) => [
      micros(t.timestamp),
      t.symbol,
      t.venue,
      t.side,
      t.quantity,
      t.price,
      t.fee,
      t.orderId ?? null,
      t.tradeId ?? null,
      t.strategy ?? null,
    ]),
  );
}

/** Events as `system_events` rows (staged so that ids come from the sequence). */
export function eventsTable(records: readonly SystemEvent[]): ColumnarTable {
  return table(
    'system_events',
    [
      { name: 'ts', kind: 'timestamp' },
      { name: 'severity', kind: 'varchar' },
      { name: 'level', kind: 'utinyint' },
      { name: 'source', kind: 'varchar' },
      { name: 'message', kind: 'varchar' },
      { name: 'attributes', kind: 'varchar' },
    ],
    records.map((e) => [
      micros(e.timestamp),
      e.severity,
      severityLevel(e.severity),
      e.source,
      e.message,
      encodeAttributes(e.typedAttributes()),
    ]),
  );
}
