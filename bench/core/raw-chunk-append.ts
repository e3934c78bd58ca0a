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
  UBIGINT,
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

/** Table-order columns of `metric_points`, with the node-api type and how each is filled. */
const COLUMNS: readonly [DuckDBType, ColumnWriter][] = [
  [UBIGINT, each((r, i) => seriesIdOf(r, i))],
  [TIMESTAMP, each((r, i) => timestampValue(BigInt(r.timeMicros[i]!)))],
  [BIGINT, each((r, i) => BigInt(r.timeMicros[i]!) * 1000n + BigInt(r.timeNanos[i]!))],
  [BIGINT, each((r, i) => (S[r.metric[i]!]!.counter ? START_NANOS : null))],
  [VARCHAR, each(() => null)],
  [UINTEGER, each(() => 0)],
  [UTINYINT, each((r, i) => S[r.metric[i]!]!.kind)],
  [UTINYINT, each((r, i) => S[r.metric[i]!]!.temporality)],
  [BOOLEAN, each((r, i) => (S[r.metric[i]!]!.counter ? true : null))],
  [DOUBLE, each((r, i) => r.value[i])],
  [BIGINT, each(() => null)],
];
const TYPES = COLUMNS.map(([type]) => type);
const SERIES_TYPES = [UBIGINT, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR];
const CHUNK_ROWS = 2048;

/** Series ids by metric/symbol/attributes combination, dense from 1, assigned on first sight, per connection. */
let seriesIds = new Map<number, bigint>();
let newSeries: number[] = [];
const seriesByConnection = new WeakMap<DuckDBConnection, Map<number, bigint>>();

function seriesIdOf(rows: MetricRows, i: number): bigint {
  const combo = (rows.metric[i]! * 256 + rows.symbol[i]!) * 65536 + rows.attributes[i]!;
  let id = seriesIds.get(combo);
  if (id === undefined) {
    id = BigInt(seriesIds.size + 1);
    seriesIds.set(combo, id);
    newSeries.push(combo);
  }
  return id;
}

/** Appends the series first seen in the last batch to `metric_series`. */
async function appendNewSeries(connection: DuckDBConnection): Promise<void> {
  if (newSeries.length === 0) return;
  const appender = await connection.createAppender('metric_series');
  for (let offset = 0; offset < newSeries.length; offset += CHUNK_ROWS) {
    const rows = newSeries.slice(offset, offset + CHUNK_ROWS).map((combo) => {
      const def = S[Math.floor(combo / (256 * 65536))]!;
      return [
        seriesIds.get(combo),
        def.name,
        def.unit,
        def.description,
        SYMBOLS[Math.floor(combo / 65536) % 256]!.symbol,
        def.service,
        ATTRIBUTE_TEXTS[combo % 65536],
        def.resource,
        def.scope,
      ];
    });
    const chunk = DuckDBDataChunk.create(SERIES_TYPES, rows.length);
    SERIES_TYPES.forEach((_, c) => {
      const vector = chunk.getColumnVector(c) as Vec;
      rows.forEach((row, i) => {
        vector.setItem(i, row[c]);
      });
      vector.flush();
    });
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  newSeries = [];
}

/**
 * The baseline: appends rows with node-api's public data-chunk API only (`DuckDBDataChunk.create`,
 * `vector.setItem`, `appender.appendDataChunk`), 2048-row chunks: the batch's new series to `metric_series`,
 * then its points to `metric_points`, one appender per table, committed when each appender closes.
 * @example await rawChunkAppend(connection, rows);
 */
export async function rawChunkAppend(connection: DuckDBConnection, rows: MetricRows): Promise<void> {
  seriesIds = seriesByConnection.get(connection) ?? new Map();
  seriesByConnection.set(connection, seriesIds);
  const appender = await connection.createAppender('metric_points');
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
  await appendNewSeries(connection);
  appender.closeSync();
}
