import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBVector,
  TIMESTAMP,
  timestampValue,
  UINTEGER,
  UTINYINT,
  VARCHAR,
} from '@duckdb/node-api';
import { ATTRIBUTE_TEXTS, METRIC_SERIES, SYMBOLS } from './trading-catalog.ts';
import { DATA_START, type MetricRows } from './trading-data.ts';

/** The write side of a vector, with the value type left open (each column writes its own type). */
type Vec = Pick<DuckDBVector, 'flush'> & { setItem(index: number, value: unknown): void };
type ColumnWriter = (vector: Vec, rows: MetricRows, offset: number, n: number) => void;

const START_NANOS = BigInt(DATA_START) * 1_000_000n;
const S = METRIC_SERIES;

/** Writes one value per row, picked by `pick(row)`. */
function each(pick: (rows: MetricRows, row: number) => unknown): ColumnWriter {
  return (vector, rows, offset, n) => {
    for (let i = 0; i < n; i++) vector.setItem(i, pick(rows, offset + i));
  };
}

/** Table-order columns of `trading_metrics`, with the node-api type and how each is filled. */
const COLUMNS: readonly [DuckDBType, ColumnWriter][] = [
  [TIMESTAMP, each((r, i) => timestampValue(BigInt(r.timeMicros[i]!)))],
  [BIGINT, each((r, i) => BigInt(r.timeMicros[i]!) * 1000n + BigInt(r.timeNanos[i]!))],
  [BIGINT, each((r, i) => (S[r.metric[i]!]!.counter ? START_NANOS : null))],
  [VARCHAR, each((r, i) => S[r.metric[i]!]!.name)],
  [VARCHAR, each((r, i) => S[r.metric[i]!]!.unit)],
  [VARCHAR, each((r, i) => S[r.metric[i]!]!.description)],
  [VARCHAR, each((r, i) => SYMBOLS[r.symbol[i]!]!.symbol)],
  [VARCHAR, each((r, i) => S[r.metric[i]!]!.service)],
  [VARCHAR, each((r, i) => ATTRIBUTE_TEXTS[r.attributes[i]!])],
  [VARCHAR, each((r, i) => S[r.metric[i]!]!.resource)],
  [VARCHAR, each((r, i) => S[r.metric[i]!]!.scope)],
  [VARCHAR, each(() => null)],
  [UINTEGER, each(() => 0)],
  [UTINYINT, each((r, i) => S[r.metric[i]!]!.kind)],
  [UTINYINT, each((r, i) => S[r.metric[i]!]!.temporality)],
  [BOOLEAN, each((r, i) => (S[r.metric[i]!]!.counter ? true : null))],
  [DOUBLE, each((r, i) => r.value[i])],
  [BIGINT, each(() => null)],
];
const TYPES = COLUMNS.map(([type]) => type);
const CHUNK_ROWS = 2048;

/**
 * The baseline: appends rows to `trading_metrics` with node-api's public data-chunk API only
 * (`DuckDBDataChunk.create`, `vector.setItem`, `appender.appendDataChunk`), 2048-row chunks, one appender
 * per call, committed when the appender closes.
 * @example await rawChunkAppend(connection, rows);
 */
export async function rawChunkAppend(connection: DuckDBConnection, rows: MetricRows): Promise<void> {
  const appender = await connection.createAppender('trading_metrics');
  for (let offset = 0; offset < rows.length; offset += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows.length - offset);
    const chunk = DuckDBDataChunk.create(TYPES, n);
    COLUMNS.forEach(([, write], c) => {
      const vector = chunk.getColumnVector(c) as Vec;
      write(vector, rows, offset, n);
      vector.flush();
    });
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}
