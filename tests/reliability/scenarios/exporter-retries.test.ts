import { join } from 'node:path';
import { tempDir } from '@duckside/testkit';
import { OTLPMetricExporter as JsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { readStoredSeqs } from '../src/stored-seqs.ts';

const report = new ScenarioReport('5 retries with the OTel exporters');
afterAll(() => report.publish());

/** Probability of an injected 503 per request: an export is lost only if 6 attempts in a row fail (p^6 = 6.4e-5). */
const FAULT_PROBABILITY = 0.2;
const EXPORTS = 30;
/** `ExportResultCode.SUCCESS` of @opentelemetry/core. */
const SUCCESS = 0;

type ExportResult = Parameters<Parameters<PushMetricExporter['export']>[1]>[0];
const BAD_EXPORTS = 5;

describe('retries with the real OpenTelemetry exporters', () => {
  it('delivers every export through injected 503s, and does not retry a 400', async () => {
    await using dir = await tempDir('reliability-retry-');
    const db = join(dir.path, 'retry.duckdb');
    const sidecar = await SidecarProcess.start({
      db,
      env: { DUCKSIDE_FAULTS: `ingest503:${FAULT_PROBABILITY}` },
    });
    report.attachLog('sidecar', () => sidecar.output());
    const url = `${sidecar.url}/v1/metrics`;
    const headers = sidecar.authHeaders;

    const proto = await exportSequence(
      'retry_probe_proto',
      new ProtoExporter({ url, headers, compression: 'gzip' as never }),
      EXPORTS,
    );
    const json = await exportSequence('retry_probe_json', new JsonExporter({ url, headers }), EXPORTS);
    const failed503 = (await sidecar.metric('duckside_http_requests_total', { status: '503' })) ?? 0;
    const before400 = (await sidecar.metric('duckside_http_requests_total', { status: '400' })) ?? 0;
    // Claims gzip but sends plain JSON: the sidecar answers 400, which the exporter must not retry.
    const bad = await exportSequence(
      'retry_probe_bad',
      new JsonExporter({ url, headers: { ...headers, 'Content-Encoding': 'gzip' } }),
      BAD_EXPORTS,
    );
    const got400 =
      ((await sidecar.metric('duckside_http_requests_total', { status: '400' })) ?? 0) - before400;
    const exit = await sidecar.stop();

    const delivered = async (metric: string) => [...(await readStoredSeqs(db, metric))].sort((a, b) => a - b);
    const protoValues = await delivered('retry_probe_proto');
    const jsonValues = await delivered('retry_probe_json');

    report.figure('injected 503 probability', FAULT_PROBABILITY);
    report.check('503s injected', failed503, '> 0 (retries exercised)', failed503 > 0);
    for (const [name, run, values] of [
      ['protobuf+gzip', proto, protoValues],
      ['JSON', json, jsonValues],
    ] as const) {
      report.check(
        `${name} exporter: collections delivered`,
        `${values.length} of ${run.collected.length} (${run.failures} exports failed)`,
        '100%, 0 failed',
        equal(values, run.collected) && run.failures === 0,
      );
    }
    report.check(
      '400 answers to bad exports (no retry)',
      `${got400} for ${bad.exports} exports`,
      `${bad.exports}`,
      got400 === bad.exports,
    );
    report.check(
      'bad exports reported failed to the SDK',
      `${bad.failures} of ${bad.exports}`,
      `${bad.exports}`,
      bad.failures === bad.exports,
    );
    report.figure(
      'export time p-max (protobuf / JSON)',
      `${proto.slowestMs.toFixed(0)} / ${json.slowestMs.toFixed(0)} ms`,
    );

    expect(exit.code).toBe(0);
    expect(failed503).toBeGreaterThan(0);
    expect(protoValues).toEqual(proto.collected);
    expect(jsonValues).toEqual(json.collected);
    expect(proto.failures + json.failures).toBe(0);
    expect(bad.exports).toBeGreaterThanOrEqual(BAD_EXPORTS);
    expect(got400).toBe(bad.exports);
    expect(bad.failures).toBe(bad.exports);
  });
});

/**
 * Exports `count` collections through a real MeterProvider and PeriodicExportingMetricReader (forceFlush each
 * time, then shutdown, which exports once more); collection `i` carries one gauge point of value `i`. The
 * exporter's results are recorded as the SDK sees them.
 */
async function exportSequence(metric: string, exporter: PushMetricExporter, count: number) {
  const results: ExportResult[] = [];
  const recording: PushMetricExporter = {
    export: (metrics, done) =>
      exporter.export(metrics, (result) => {
        results.push(result);
        done(result);
      }),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
    selectAggregationTemporality: exporter.selectAggregationTemporality?.bind(exporter),
  };
  const reader = new PeriodicExportingMetricReader({
    exporter: recording,
    exportIntervalMillis: 600_000,
    exportTimeoutMillis: 30_000,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'retry-test' }),
    readers: [reader],
  });
  let collections = 0;
  provider
    .getMeter('retry')
    .createObservableGauge(metric)
    .addCallback((result) => result.observe(collections++));
  let slowestMs = 0;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await reader.forceFlush().catch(() => undefined);
    slowestMs = Math.max(slowestMs, performance.now() - t0);
  }
  await provider.shutdown().catch(() => undefined);
  const failures = results.filter((r) => r.code !== SUCCESS).length;
  return {
    exports: results.length,
    failures,
    slowestMs,
    collected: Array.from({ length: collections }, (_, i) => i),
  };
}

function equal(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
