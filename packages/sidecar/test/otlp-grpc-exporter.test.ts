import { OTLPMetricExporter as GrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as HttpJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import {
  AggregationTemporality,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { expectedFromSdk } from './helpers/otel-expected.ts';
import { readStoredPoints, sortPoints } from './helpers/otel-points.ts';
import {
  type ExportResult,
  exportEverything,
  RecordingExporter,
  SUCCESS,
  temporalities,
} from './helpers/otel-recording.ts';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';
import { tableContents } from './helpers/table-contents.ts';

const servers: OtlpTestServer[] = [];
async function server(options: Parameters<typeof startOtlpServer>[0] = {}): Promise<OtlpTestServer> {
  const s = await startOtlpServer({ grpc: {}, ...options });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function exportOnce(exporter: PushMetricExporter, metrics: ResourceMetrics): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(metrics, resolve));
}

describe.each([CompressionAlgorithm.GZIP, CompressionAlgorithm.NONE])(
  'real exporter-metrics-otlp-grpc, compression %s',
  (compression) => {
    it.each(Object.entries(temporalities))(
      'stores every instrument kind (%s temporality) exactly as exported',
      async (_t, temporality) => {
        const s = await server();
        const exporter = new RecordingExporter(
          new GrpcExporter({
            url: `http://${s.grpcAddress}`,
            temporalityPreference: temporality,
            compression,
          }),
        );
        await exportEverything(exporter);

        expect(exporter.results.map((r) => r.code)).toEqual(exporter.sent.map(() => SUCCESS));
        expect(exporter.sent.length).toBeGreaterThanOrEqual(2);
        expect(s.requests).toEqual([]);
        const expected = sortPoints(exporter.sent.flatMap(expectedFromSdk));
        expect([...new Set(expected.map((p) => p.kind))].sort()).toEqual([
          'exponentialHistogram',
          'gauge',
          'histogram',
          'sum',
        ]);
        expect(new Set(expected.map((p) => p.data.temporality))).toContain(
          temporality === AggregationTemporality.DELTA ? 1 : 2,
        );
        expect(await readStoredPoints(s.db)).toEqual(expected);
        expect(s.counter('duckside_otlp_points_ingested_total', { signal: 'metrics' })).toBe(expected.length);
        expect(s.counter('duckside_otlp_grpc_requests_total', { signal: 'metrics', code: 'OK' })).toBe(
          exporter.sent.length,
        );
      },
    );
  },
);

describe('OTLP/gRPC and OTLP/HTTP', () => {
  it('store identical rows, column by column, for the same exports', async () => {
    const [viaGrpc, viaProto, viaJson] = await Promise.all([server(), server(), server()]);
    const grpc = new RecordingExporter(
      new GrpcExporter({
        url: `http://${viaGrpc.grpcAddress}`,
        temporalityPreference: AggregationTemporality.CUMULATIVE,
        compression: CompressionAlgorithm.GZIP,
      }),
    );
    await exportEverything(grpc);
    expect(grpc.results.map((r) => r.code)).toEqual(grpc.sent.map(() => SUCCESS));
    for (const [target, Exporter] of [
      [viaProto, ProtoExporter],
      [viaJson, HttpJsonExporter],
    ] as const) {
      const http = new Exporter({ url: target.url });
      for (const metrics of grpc.sent) expect((await exportOnce(http, metrics)).code).toBe(SUCCESS);
      await http.shutdown();
    }
    const stored = await tableContents(viaGrpc.db);
    const rows = Object.values(stored).reduce((n, r) => n + r.length, 0);
    expect(rows).toBeGreaterThan(20);
    expect(await tableContents(viaProto.db)).toEqual(stored);
    expect(await tableContents(viaJson.db)).toEqual(stored);
  });
});
