import { OTLPMetricExporter as HttpJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectedFromSdk } from './helpers/otel-expected.ts';
import { readStoredPoints, sortPoints } from './helpers/otel-points.ts';
import { exportEverything, RecordingExporter, SUCCESS, temporalities } from './helpers/otel-recording.ts';
import { type OtlpTestServer, startOtlpServer } from './helpers/otel-server.ts';

const exporters = {
  'exporter-metrics-otlp-proto, gzip': [ProtoExporter, 'gzip'],
  'exporter-metrics-otlp-proto, uncompressed': [ProtoExporter, 'none'],
  'exporter-metrics-otlp-http (JSON), gzip': [HttpJsonExporter, 'gzip'],
} as const;
describe.each(Object.entries(exporters))('real %s', (_name, [Exporter, compression]) => {
  let server: OtlpTestServer;
  beforeEach(async () => {
    server = await startOtlpServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it.each(Object.entries(temporalities))(
    'stores every instrument kind (%s temporality) exactly as exported',
    async (_t, temporality) => {
      const exporter = new RecordingExporter(
        new Exporter({
          url: server.url,
          temporalityPreference: temporality,
          compression: compression as never,
        }),
      );
      await exportEverything(exporter);

      expect(exporter.results.map((r) => r.code)).toEqual(exporter.sent.map(() => SUCCESS));
      expect(new Set(server.requests.map((r) => r.encoding ?? 'none'))).toEqual(new Set([compression]));
      expect(exporter.sent.length).toBeGreaterThanOrEqual(2);
      const expected = sortPoints(exporter.sent.flatMap(expectedFromSdk));
      const kinds = new Set(expected.map((p) => p.kind));
      expect([...kinds].sort()).toEqual(['exponentialHistogram', 'gauge', 'histogram', 'sum']);
      expect(new Set(expected.map((p) => p.data.temporality))).toContain(
        temporality === AggregationTemporality.DELTA ? 1 : 2,
      );
      const stored = await readStoredPoints(server.db);
      expect(stored).toEqual(expected);
      expect(stored.filter((p) => p.symbol === 'BTC/USD').length).toBeGreaterThan(0);
      expect(stored.every((p) => p.service === 'oms')).toBe(true);
    },
  );
});
