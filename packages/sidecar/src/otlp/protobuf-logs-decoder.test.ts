import { emptyLogRecord, LogBatch } from '@duckside/core/ingest';
import { encodeLogsRequest } from '@duckside/testkit/otlp';
import { describe, expect, it } from 'vitest';
import { decodeProtobufLogs } from './protobuf-logs-decoder.ts';

/** The stored columns of each row of a batch, by column name (`nanos` columns as [micros, remainder]). */
function rowsOf(batch: LogBatch): Record<string, unknown>[] {
  const table = batch.toTable();
  return Array.from({ length: table.length }, (_, row) => {
    let array = 0;
    return Object.fromEntries(
      table.spec.map((c) => {
        const value =
          c.kind === 'nanos'
            ? [table.columns[array]?.[row], table.columns[array + 1]?.[row]]
            : table.columns[array]?.[row];
        array += c.kind === 'nanos' ? 2 : 1;
        return [c.name, value];
      }),
    );
  });
}

describe('decodeProtobufLogs', () => {
  it('gives a record none of the fields of the record before it', () => {
    const full = {
      timeUnixNano: '1700000000123456789',
      observedTimeUnixNano: '1700000000223456789',
      severityNumber: 17,
      severityText: 'ERROR',
      body: { stringValue: 'boom' },
      attributes: [{ key: 'symbol', value: { stringValue: 'BTC/USD' } }],
      droppedAttributesCount: 3,
      flags: 1,
      traceId: new Uint8Array(16).fill(7),
      spanId: new Uint8Array(8).fill(9),
      eventName: 'order.rejected',
    };
    const body = encodeLogsRequest({ resourceLogs: [{ scopeLogs: [{ logRecords: [full, {}] }] }] });
    const [first, second] = rowsOf(decodeProtobufLogs(body).batch);
    // The second record is stored as a record with no field set is, whatever the first one had.
    const received = 1_000_000;
    const expected = new LogBatch(received);
    expected.push({ resource: '{}', scope: '{}', service: null, scopeName: '' }, emptyLogRecord());
    const [empty] = rowsOf(expected);
    expect(first).toMatchObject({
      severity_text: 'ERROR',
      event_name: 'order.rejected',
      dropped_attributes_count: 3,
    });
    expect({ ...second, ts: 0, resource: '', scope: '' }).toEqual({
      ...empty,
      ts: 0,
      resource: '',
      scope: '',
    });
  });
});
