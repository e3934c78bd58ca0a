import type { DuckDBDataChunk } from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';

const TWO_32 = 4294967296;

/**
 * Writes a column of number lists (`double[]`, or `ubigint[]` of safe integers) straight into the native list
 * vector of a data chunk: the list entries and all child values in two copies, instead of node-api's
 * per-row list values (a JS object and, for UBIGINT, a BigInt per element). False, writing nothing, when a
 * row holds null (the caller then takes the general path).
 * @example writeNumberLists(chunk, 5, columns[7], 0, 100, 'double[]')
 */
export function writeNumberLists(
  chunk: DuckDBDataChunk,
  columnIndex: number,
  values: readonly unknown[],
  offset: number,
  rows: number,
  kind: 'double[]' | 'ubigint[]',
): boolean {
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const list = values[offset + i] as number[] | null | undefined;
    if (list == null) return false;
    total += list.length;
  }
  // One (offset, length) pair of unsigned 64-bit integers per row, written as 32-bit words.
  const entries = new Uint32Array(rows * 4);
  const child = kind === 'double[]' ? new Float64Array(total) : new Uint32Array(total * 2);
  let position = 0;
  for (let i = 0; i < rows; i++) {
    const list = values[offset + i] as number[];
    entries[i * 4] = position;
    entries[i * 4 + 2] = list.length;
    if (kind === 'double[]') {
      (child as Float64Array).set(list, position);
    } else {
      for (let k = 0; k < list.length; k++) {
        const n = list[k] as number;
        child[(position + k) * 2] = n % TWO_32;
        child[(position + k) * 2 + 1] = Math.floor(n / TWO_32);
      }
    }
    position += list.length;
  }
  const vector = bindings.data_chunk_get_vector(
    (chunk as unknown as { chunk: bindings.DataChunk }).chunk,
    columnIndex,
  );
  bindings.list_vector_reserve(vector, total);
  bindings.list_vector_set_size(vector, total);
  if (total > 0) {
    bindings.copy_data_to_vector(
      bindings.list_vector_get_child(vector),
      0,
      child.buffer,
      0,
      child.byteLength,
    );
  }
  bindings.copy_data_to_vector(vector, 0, entries.buffer, 0, entries.byteLength);
  return true;
}
