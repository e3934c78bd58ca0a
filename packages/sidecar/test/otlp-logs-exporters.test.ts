import { emitEveryLogKind } from '@duckside/testkit/otlp';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as HttpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedFromSdkLogs, RecordingLogExporter, readStoredLogs } from './helpers/otel-logs.ts';
import { SUCCESS } from './helpers/otel-recording.ts';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';
import { tableContents } from './helpers/table-contents.ts';

const servers: OtlpTestServer[] = [];
async function server(): Promise<OtlpTestServer> {
  const s = await startOtlpServer({ grpc: {} });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const exporters: Record<string, (s: OtlpTestServer) => LogRecordExporter> = {
  'exporter-logs-otlp-grpc, gzip': (s) =>
    new GrpcLogExporter({ url: `http://${s.grpcAddress}`, compression: CompressionAlgorithm.GZIP }),
  'exporter-logs-otlp-grpc, uncompressed': (s) => new GrpcLogExporter({ url: `http://${s.grpcAddress}` }),
  'exporter-logs-otlp-proto, gzip': (s) =>
    new ProtoLogExporter({ url: s.logsUrl, compression: CompressionAlgorithm.GZIP }),
  'exporter-logs-otlp-http (JSON)': (s) => new HttpJsonLogExporter({ url: s.logsUrl }),
};

function exportOnce(exporter: LogRecordExporter, logs: ReadableLogRecord[]): Promise<{ code: number }> {
  return new Promise((resolve) => exporter.export(logs, resolve));
}

describe.each(Object.entries(exporters))('real %s', (_name, make) => {
  it('stores every log record field exactly as exported, and the events API returns them', async () => {
    const s = await server();
    const exporter = new RecordingLogExporter(make(s));
    await emitEveryLogKind(exporter);
    expect(exporter.results.map((r) => r.code)).toEqual(exporter.sent.map(() => SUCCESS));
    expect(exporter.sent.length).toBe(2);
    const expected = expectedFromSdkLogs(exporter.sent.flat());
    expect(expected.length).toBe(11);
    const stored = await readStoredLogs(s.db);
    expect(stored).toEqual(expected);
    expect(new Set(stored.map((l) => l.severity))).toEqual(
      new Set(['debug', 'info', 'warning', 'error', 'critical']),
    );
    expect(s.counter('duckside_otlp_points_ingested_total', { signal: 'logs' })).toBe(11);

    const res = await fetch(new URL('/api/v1/events?text=order%20accepted', s.url));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: Array<Record<string, unknown>> };
    expect(data).toEqual([
      {
        id: expect.any(Number),
        timestamp: '2023-11-14T22:13:20.123Z',
        severity: 'debug',
        source: 'oms',
        message: 'order accepted',
        attributes: { symbol: 'BTC/USD', depth: 0, spread: 0.25, live: true, venues: ['a', 'b'] },
        timeUnixNano: '1700000000123456789',
        observedTimeUnixNano: '1700000001987654321',
        severityNumber: 1,
        severityText: 'WARN',
        body: 'order accepted',
        resource: {
          attributes: { 'service.name': 'oms', 'service.instance.id': 'oms-1', 'host.cores': 2 },
          droppedAttributesCount: 0,
          schemaUrl: '',
        },
        scope: {
          name: 'trading.oms',
          version: '2.1.0',
          attributes: {},
          droppedAttributesCount: 0,
          schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
        },
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        flags: 1,
        eventName: null,
        droppedAttributesCount: 0,
      },
    ]);
  });
});

describe('OTLP logs over gRPC, HTTP protobuf and HTTP JSON', () => {
  it('store identical rows, column by column, for the same exports', async () => {
    const [viaGrpc, viaProto, viaJson] = await Promise.all([server(), server(), server()]);
    const grpc = new RecordingLogExporter(
      new GrpcLogExporter({ url: `http://${viaGrpc.grpcAddress}`, compression: CompressionAlgorithm.GZIP }),
    );
    await emitEveryLogKind(grpc);
    expect(grpc.results.map((r) => r.code)).toEqual([SUCCESS, SUCCESS]);
    for (const [target, Exporter] of [
      [viaProto, ProtoLogExporter],
      [viaJson, HttpJsonLogExporter],
    ] as const) {
      const http = new Exporter({ url: target.logsUrl });
      for (const logs of grpc.sent) expect((await exportOnce(http, logs)).code).toBe(SUCCESS);
      await http.shutdown();
    }
    const stored = await tableContents(viaGrpc.db);
    expect(stored.system_events?.length).toBe(11);
    expect(await tableContents(viaProto.db)).toEqual(stored);
    expect(await tableContents(viaJson.db)).toEqual(stored);
  });
});
