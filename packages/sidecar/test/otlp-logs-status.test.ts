import { compiled } from '@duckside/core';
import { type ExportClient, encodeLogsRequest, exportClient } from '@duckside/testkit/otlp';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, describe, expect, it } from 'vitest';
import { readStoredLogs } from './helpers/otel-logs.ts';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';

const INVALID_ARGUMENT = 3;

let server: OtlpTestServer | undefined;
let client: ExportClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
  server = undefined;
  client = undefined;
});

/** A request with one scope of records (protobufjs plain objects, or OTLP/JSON). */
const request = (logRecords: unknown[]) => ({
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'gateway' } }] },
      scopeLogs: [{ scope: { name: 'fix' }, logRecords }],
    },
  ],
});
const GOOD = { timeUnixNano: '1700000000000000001', severityNumber: 17, body: { stringValue: 'disconnect' } };
const TOO_LATE = { timeUnixNano: '18446744073709551615', body: { stringValue: 'from the future' } };

const count = async (s: OtlpTestServer) =>
  (await s.db.all(compiled<{ n: number }>('SELECT count(*)::INTEGER AS n FROM system_events', [])))[0]!.n;

describe('OTLP logs status contract', () => {
  it('gRPC: OK with partial_success for records it cannot store, INVALID_ARGUMENT for malformed messages', async () => {
    server = await startOtlpServer({ grpc: {} });
    client = exportClient(server.grpcAddress, 'logs');
    const partial = await client.export(encodeLogsRequest(request([GOOD, TOO_LATE, GOOD])));
    if (!partial.ok) throw new Error(partial.details);
    expect(ProtobufLogsSerializer.deserializeResponse(partial.response)).toEqual({
      partialSuccess: {
        rejectedLogRecords: 1,
        errorMessage: 'timestamp beyond the storable range (year 2255)',
      },
    });
    const stored = await readStoredLogs(server.db);
    expect(stored.map((l) => [l.source, l.severity, l.message, l.time])).toEqual([
      ['gateway', 'error', 'disconnect', 1_700_000_000_000_000_001n],
      ['gateway', 'error', 'disconnect', 1_700_000_000_000_000_001n],
    ]);
    const good = encodeLogsRequest(request([GOOD]));
    const truncated = await client.export(good.subarray(0, good.length - 3));
    expect(truncated.ok ? 0 : truncated.code).toBe(INVALID_ARGUMENT);
    expect(await count(server)).toBe(2);
    expect(server.counter('duckside_otlp_points_rejected_total', { signal: 'logs' })).toBe(1);
  });

  it('HTTP: 200 with partial_success (rejectedLogRecords) in JSON, 400 for malformed bodies, 405 for GET', async () => {
    server = await startOtlpServer();
    const post = (body: string, type = 'application/json') =>
      fetch(server!.logsUrl, { method: 'POST', headers: { 'content-type': type }, body });
    const wrongType = { ...GOOD, severityText: 5 };
    const res = await post(JSON.stringify(request([GOOD, TOO_LATE, wrongType])));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: {
        rejectedLogRecords: '2',
        errorMessage: 'timestamp beyond the storable range (year 2255); 2 log records rejected in all',
      },
    });
    expect(await count(server)).toBe(1);
    expect((await post('{"resourceLogs": [')).status).toBe(400);
    expect((await post('{"resourceLogs": {}}')).status).toBe(400);
    const proto = await post('\u0000\u00ff', 'application/x-protobuf');
    expect(proto.status).toBe(400);
    expect((await fetch(server.logsUrl)).status).toBe(405);
    expect(await count(server)).toBe(1);
  });

  it('HTTP: accepts a severity given by name, ids in upper-case hex and a kvlist body with an int beyond 2^53, exactly', async () => {
    server = await startOtlpServer();
    const record = {
      observedTimeUnixNano: '1700000000000000777',
      severityNumber: 'SEVERITY_NUMBER_WARN2',
      traceId: '0AF7651916CD43DD8448EB211C80319C',
      spanId: 'b7ad6b7169203331',
      flags: 257,
      eventName: 'session.lost',
      body: { kvlistValue: { values: [{ key: 'n', value: { intValue: '9007199254740993' } }] } },
    };
    const res = await fetch(server.logsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request([record])),
    });
    expect([res.status, await res.text()]).toEqual([200, '{}']);
    const [stored] = await readStoredLogs(server.db);
    expect(stored).toMatchObject({
      severity: 'warning',
      severityNumber: 14,
      time: null,
      observedTime: 1_700_000_000_000_000_777n,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      flags: 257,
      eventName: 'session.lost',
      body: { n: 9_007_199_254_740_993n },
      message: '{"n":9007199254740993}',
    });
  });
});
