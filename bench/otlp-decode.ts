/**
 * Benchmark of the OTLP/HTTP receiver's decoders: points decoded per second on one core for a 1,000-point
 * `ExportMetricsServiceRequest` (gauge, sum and histogram mix, encoded by the OpenTelemetry SDK's serializers),
 * next to protobufjs decode-plus-flatten and `JSON.parse` baselines measured in the same run.
 * Run alone: `pnpm exec tsx --conditions=source bench/otlp-decode.ts [--quick]`.
 */
import { pathToFileURL } from 'node:url';
import { decodeJsonMetrics, decodeProtobufMetrics } from '../packages/sidecar/src/otlp/index.ts';
import { decodeRawRequest } from '../packages/sidecar/test/helpers/otel-proto.ts';
import {
  jsonBody,
  protobufBody,
  THOUSAND_POINTS,
  tradingExport,
  type WorkloadOptions,
  workloadPoints,
} from '../packages/sidecar/test/helpers/otel-workload.ts';
import type { BenchOptions, BenchSection } from './bench-section.ts';
import { formatCount, formatRatio } from './lib/format.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { median } from './lib/timing.ts';

/** Targets from the issue, points per second per core. */
const TARGETS = { protobuf: 1_000_000, json: 400_000 };

/** Runs `fn` for about `ms` milliseconds and returns calls per second. */
function callsPerSecond(fn: () => unknown, ms: number): number {
  let calls = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 10; i++) fn();
    calls += 10;
    now = performance.now();
  }
  return (calls * 1000) / (now - start);
}

/** Interleaves the variants `samples` times (after a warm-up) and returns the median points/s of each. */
function measure(
  variants: Record<string, () => unknown>,
  points: number,
  samples: number,
  ms: number,
): Record<string, number> {
  const names = Object.keys(variants);
  for (const name of names) callsPerSecond(variants[name]!, ms);
  const rates: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let s = 0; s < samples; s++) {
    for (const name of names) rates[name]!.push(callsPerSecond(variants[name]!, ms) * points);
  }
  return Object.fromEntries(names.map((n) => [n, median(rates[n]!)]));
}

interface PbKeyValue {
  key: string;
  value?: { stringValue?: string; boolValue?: boolean; doubleValue?: number; intValue?: unknown };
}
interface PbPoint {
  timeUnixNano?: unknown;
  startTimeUnixNano?: unknown;
  asDouble?: number;
  asInt?: unknown;
  count?: unknown;
  bucketCounts?: unknown[];
  explicitBounds?: number[];
  attributes?: PbKeyValue[];
}
type PbData = { dataPoints?: PbPoint[] } | undefined;
interface PbMetric {
  name: string;
  unit: string;
  gauge?: PbData;
  sum?: PbData;
  histogram?: PbData;
  exponentialHistogram?: PbData;
  summary?: PbData;
}
interface PbRequest {
  resourceMetrics: Array<{
    resource?: { attributes?: PbKeyValue[] };
    scopeMetrics?: Array<{ metrics?: PbMetric[] }>;
  }>;
}

/** protobufjs decode, then one flat row per data point (what a decoder without our wire reader has to do). */
function protobufjsFlatten(bytes: Uint8Array): number {
  const rows: unknown[] = [];
  const request = decodeRawRequest(bytes) as unknown as PbRequest;
  for (const rm of request.resourceMetrics) {
    const resource = keyValues(rm.resource?.attributes);
    for (const sm of rm.scopeMetrics ?? []) {
      for (const m of sm.metrics ?? []) {
        const data = m.gauge ?? m.sum ?? m.histogram ?? m.exponentialHistogram ?? m.summary;
        for (const p of data?.dataPoints ?? []) {
          rows.push({
            name: m.name,
            unit: m.unit,
            resource,
            time: Number(p.timeUnixNano),
            start: Number(p.startTimeUnixNano),
            value: p.asDouble ?? (p.asInt === undefined ? undefined : Number(p.asInt)),
            count: p.count === undefined ? undefined : Number(p.count),
            buckets: p.bucketCounts?.map(Number),
            bounds: p.explicitBounds,
            attributes: keyValues(p.attributes),
          });
        }
      }
    }
  }
  return rows.length;
}

function keyValues(
  list: Array<{ key: string; value?: Record<string, unknown> }> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) {
    const v = kv.value ?? {};
    out[kv.key] =
      v.stringValue ?? v.boolValue ?? v.doubleValue ?? (v.intValue === undefined ? null : Number(v.intValue));
  }
  return out;
}

function workloadRows(label: string, workload: WorkloadOptions, samples: number, ms: number) {
  const rm = tradingExport(workload);
  const points = workloadPoints(workload);
  const proto = protobufBody(rm);
  const json = jsonBody(rm);
  const jsonText = Buffer.from(json).toString('utf8');
  if (
    decodeProtobufMetrics(proto).batch.size !== points ||
    decodeJsonMetrics(jsonText).batch.size !== points
  ) {
    throw new Error('the decoders did not return every point of the workload');
  }
  const rates = measure(
    {
      protobuf: () => decodeProtobufMetrics(proto),
      protobufjs: () => protobufjsFlatten(proto),
      json: () => decodeJsonMetrics(Buffer.from(json).toString('utf8')),
      jsonParse: () => JSON.parse(Buffer.from(json).toString('utf8')),
    },
    points,
    samples,
    ms,
  );
  return { label, points, protoBytes: proto.length, jsonBytes: json.length, rates };
}

/** Runs the benchmark: `quick` takes 3 samples of 300 ms per variant, otherwise 7 of 1 s. */
export async function run(options: BenchOptions): Promise<BenchSection> {
  const samples = options.quick ? 3 : 7;
  const ms = options.quick ? 300 : 1000;
  const main = workloadRows(
    '1,000 points, attribute sets repeated across metrics',
    THOUSAND_POINTS,
    samples,
    ms,
  );
  const unique = workloadRows(
    '1,000 points, every attribute set unique',
    { ...THOUSAND_POINTS, uniqueAttributes: true },
    samples,
    ms,
  );
  const rows = [main, unique].flatMap((w) => [
    [
      w.label,
      'protobuf: Duckside wire reader',
      formatCount(w.protoBytes),
      formatCount(w.rates.protobuf),
      formatRatio(w.rates.protobuf! / TARGETS.protobuf),
    ],
    [
      w.label,
      'protobuf: protobufjs decode + flatten',
      formatCount(w.protoBytes),
      formatCount(w.rates.protobufjs),
      formatRatio(w.rates.protobufjs! / TARGETS.protobuf),
    ],
    [
      w.label,
      'JSON: Duckside decoder (incl. JSON.parse)',
      formatCount(w.jsonBytes),
      formatCount(w.rates.json),
      formatRatio(w.rates.json! / TARGETS.json),
    ],
    [
      w.label,
      'JSON: JSON.parse alone',
      formatCount(w.jsonBytes),
      formatCount(w.rates.jsonParse),
      formatRatio(w.rates.jsonParse! / TARGETS.json),
    ],
  ]);
  const markdown = [
    markdownTable(['Request', 'Decoder', '>Body bytes', '>Points/s (one core)', '>vs target'], rows),
    '',
    `Workload: one SDK export of ${formatCount(main.points)} data points — 8 gauges (double), 8 monotonic sums (int) and ` +
      '4 histograms (10 bounds) of 50 series each; every point carries symbol, venue, side and strategy attributes ' +
      '(the same 50 attribute sets in every metric, as an SDK export has them, or all unique in the second request); ' +
      'resource with 5 attributes, one scope. Bodies are written by `@opentelemetry/otlp-transformer` 0.223.0 ' +
      '(protobuf and JSON serializers), uncompressed. Each decoder produces the columnar `MetricBatch` core writes ' +
      '(typed attribute JSON, exact nanosecond times); protobufjs 8 decodes to message objects that are then ' +
      'flattened to one row per point. Figures are medians of ' +
      `${samples} interleaved samples of ${ms} ms after a warm-up. Targets: protobuf ≥ ${formatCount(TARGETS.protobuf)}, ` +
      `JSON ≥ ${formatCount(TARGETS.json)} points/s; "vs target" divides by the target of the encoding.`,
  ].join('\n');
  return {
    title: 'OTLP decode throughput (1,000-point request)',
    markdown,
    results: {
      'otlp_decode.protobuf_points_per_s': main.rates.protobuf!,
      'otlp_decode.protobufjs_points_per_s': main.rates.protobufjs!,
      'otlp_decode.json_points_per_s': main.rates.json!,
      'otlp_decode.json_parse_points_per_s': main.rates.jsonParse!,
      'otlp_decode.protobuf_unique_attrs_points_per_s': unique.rates.protobuf!,
      'otlp_decode.json_unique_attrs_points_per_s': unique.rates.json!,
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  console.log(`## ${section.title}\n\n${section.markdown}`);
}
