import { describe, expect, it } from 'vitest';
import { Database } from '../database/database.ts';
import { severityOfLogRecord } from '../models/log-severity.ts';
import { selectEvents } from '../query/event-query.ts';
import { emptyLogRecord, LogBatch } from './log-batch.ts';

const context = { resource: '{"attributes":{}}', scope: '{"name":"lib"}', service: 'oms', scopeName: 'lib' };

describe('LogBatch', () => {
  it('stores every field of a log record in system_events, times exact to the nanosecond', async () => {
    await using db = await Database.open(':memory:');
    const batch = new LogBatch(1_000_000);
    batch.push(context, {
      ...emptyLogRecord(),
      timeMicros: 1_700_000_000_123_456,
      timeNanos: 789,
      observedMicros: 1_700_000_000_200_000,
      observedNanos: 1,
      severityNumber: 13,
      severityText: 'WARN',
      body: '{"k":[1,2.5]}',
      message: '{"k":[1,2.5]}',
      attributes: '{"symbol":"BTC/USD"}',
      droppedAttributesCount: 2,
      flags: 1,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      eventName: 'order.rejected',
    });
    batch.push({ ...context, service: null }, { ...emptyLogRecord(), message: 'no times' });
    batch.push({ ...context, service: null, scopeName: '' }, { ...emptyLogRecord(), observedMicros: 5 });
    expect(batch.size).toBe(3);
    await db.writeLogBatch(batch);
    const rows = (await db.execute(selectEvents())).rows.sort((a, b) => a.id - b.id);
    expect(rows[0]).toEqual({
      id: 1,
      ts: new Date(1_700_000_000_123),
      severity: 'warning',
      source: 'oms',
      message: '{"k":[1,2.5]}',
      attributes: '{"symbol":"BTC/USD"}',
      time_unix_nano: 1_700_000_000_123_456_789n,
      observed_time_unix_nano: 1_700_000_000_200_000_001n,
      severity_number: 13,
      severity_text: 'WARN',
      body: '{"k":[1,2.5]}',
      resource: context.resource,
      scope: context.scope,
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      flags: 1,
      event_name: 'order.rejected',
      dropped_attributes_count: 2,
    });
    // No time: the time the batch was made; no service: the scope name, else "otlp".
    expect(rows[1]).toMatchObject({
      ts: new Date(1000),
      source: 'lib',
      severity: 'info',
      time_unix_nano: null,
      observed_time_unix_nano: null,
      body: null,
      trace_id: null,
      span_id: null,
      event_name: null,
    });
    expect(rows[2]).toMatchObject({ ts: new Date(0), source: 'otlp', observed_time_unix_nano: 5000n });
  });
});

describe('severityOfLogRecord', () => {
  it('maps OTLP severity numbers by range, and the text when the number is unspecified', () => {
    const byNumber = Array.from({ length: 24 }, (_, i) => severityOfLogRecord(i + 1, 'ignored'));
    expect(byNumber).toEqual([
      ...Array(8).fill('debug'),
      ...Array(4).fill('info'),
      ...Array(4).fill('warning'),
      ...Array(4).fill('error'),
      ...Array(4).fill('critical'),
    ]);
    expect(severityOfLogRecord(0, 'Warn')).toBe('warning');
    expect(severityOfLogRecord(0, ' FATAL ')).toBe('critical');
    expect(severityOfLogRecord(99, 'error')).toBe('error');
    expect(severityOfLogRecord(0, 'chatty')).toBe('info');
    expect(severityOfLogRecord(0, '')).toBe('info');
  });
});
