/**
 * Benchmark of the OTLP/HTTP receiver's decoders: points decoded per second on one core for a 1,000-point
 * `ExportMetricsServiceRequest` (gauge, sum and histogram mix, encoded by the OpenTelemetry SDK's serializers),
 * next to protobufjs decode-plus-flatten and `JSON.parse` peers measured in the same run, interleaved. Targets
 * (on the request with repeated attribute sets, as SDK exports have them): protobuf >= 4x protobufjs
 * decode-plus-flatten, JSON >= 1.0x `JSON.parse` alone, per CPU-second.
 * Run alone: `pnpm exec tsx --conditions=source bench/otlp-decode.ts [--quick]`.
 */
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { decodeJsonMetrics, decodeProtobufMetrics } from '@duckside/sidecar/otlp';
import {
  decodeRawRequest,
  jsonBody,
  protobufBody,
  THOUSAND_POINTS,
  tradingExport,
  type WorkloadOptions,
  workloadPoints,
} from '@duckside/testkit/otlp';
import type { BenchOptions, BenchSection } from './bench-section.ts';
import { formatCount, formatRatio } from './lib/format.ts';
import { markdownTable } from './lib/markdown-table.ts';
import { type RatioTarget, ratioResults, targetCell } from './lib/ratio-target.ts';
import { standaloneMarkdown } from './lib/standalone-markdown.ts';
import { median } from './lib/timing.ts';

/** Targets (issue 20): Duckside's points per CPU-second ÷ the peer's, per encoding. */
const TARGETS = { protobuf: 4, json: 1 };

/** Points per second of one decoder. */
interface Rate {
  /** Per second of this process's CPU time: one core's worth of work, whatever else runs on the machine. */
  cpu: number;
  /** Per elapsed second. */
  wall: number;
}

/** Calls per CPU second and per wall second of `fn`, run for about `ms` milliseconds. */
function callRates(fn: () => unknown, ms: number): Rate {
  let calls = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 10; i++) fn();
    calls += 10;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpuStart);
  return { cpu: calls / ((cpu.user + cpu.system) / 1e6), wall: (calls * 1000) / (now - start) };
}

/** Interleaves the variants `samples` times (after a warm-up) and returns the median points/s of each. */
function measure(
  variants: Record<string, () => unknown>,
  points: number,
  samples: number,
  ms: number,
): Record<string, Rate> {
  const names = Object.keys(variants);
  for (const name of names) callRates(variants[name]!, ms);
  const runs: Record<string, Rate[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let s = 0; s < samples; s++) {
    for (const name of names) runs[name]!.push(callRates(variants[name]!, ms));
  }
  return Object.fromEntries(
    names.map((n) => [
      n,
      {
        cpu: median(runs[n]!.map((r) => r.cpu * points)),
        wall: median(runs[n]!.map((r) => r.wall * points)),
      },
    ]),
  );
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

function keyValues(list: PbKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) {
    const v = kv.value ?? {};
    out[kv.key] =
      v.stringValue ?? v.boolValue ?? v.doubleValue ?? (v.intValue === undefined ? null : Number(v.intValue));
  }
  return out;
}

function workloadRates(label: string, workload: WorkloadOptions, samples: number, ms: number) {
  const rm = tradingExport(workload);
  const points = workloadPoints(workload);
  const proto = protobufBody(rm);
  const json = Buffer.from(jsonBody(rm));
  if (
    decodeProtobufMetrics(proto).batch.size !== points ||
    decodeJsonMetrics(json.toString('utf8')).batch.size !== points
  ) {
    throw new Error('the decoders did not return every point of the workload');
  }
  const rates = measure(
    {
      protobuf: () => decodeProtobufMetrics(proto),
      protobufjs: () => protobufjsFlatten(proto),
      json: () => decodeJsonMetrics(json.toString('utf8')),
      jsonParse: () => JSON.parse(json.toString('utf8')),
    },
    points,
    samples,
    ms,
  );
  return { label, points, protoBytes: proto.length, jsonBytes: json.length, rates };
}

/** Runs the benchmark: `quick` takes 3 samples of 300 ms per variant, otherwise 7 of 1 s. */
export async function run(options: BenchOptions): Promise<BenchSection> {
  const load = loadavg()[0] ?? 0;
  const samples = options.quick ? 3 : 7;
  const ms = options.quick ? 300 : 1000;
  const main = workloadRates(
    '1,000 points, attribute sets repeated across metrics',
    THOUSAND_POINTS,
    samples,
    ms,
  );
  const unique = workloadRates(
    '1,000 points, every attribute set unique',
    { ...THOUSAND_POINTS, uniqueAttributes: true },
    samples,
    ms,
  );
  const cpuRate = (r: Rate) => `${formatCount(r.cpu)} points/CPU-s`;
  const protobufTarget: RatioTarget = {
    key: 'otlp_decode.protobuf_over_protobufjs',
    figure: 'Protobuf decode, 1,000-point request',
    duckside: cpuRate(main.rates.protobuf!),
    peer: `protobufjs decode + flatten: ${cpuRate(main.rates.protobufjs!)}`,
    how: 'Duckside ÷ protobufjs points/CPU-s',
    ratio: main.rates.protobuf!.cpu / main.rates.protobufjs!.cpu,
    bound: TARGETS.protobuf,
    better: 'higher',
  };
  const jsonTarget: RatioTarget = {
    key: 'otlp_decode.json_over_json_parse',
    figure: 'JSON decode, 1,000-point request',
    duckside: cpuRate(main.rates.json!),
    peer: `\`JSON.parse\` alone: ${cpuRate(main.rates.jsonParse!)}`,
    how: 'Duckside ÷ `JSON.parse` points/CPU-s',
    ratio: main.rates.json!.cpu / main.rates.jsonParse!.cpu,
    bound: TARGETS.json,
    better: 'higher',
  };
  const targets = [protobufTarget, jsonTarget];
  /** The rows of each request: a Duckside decoder (against its peer and, on the first request, its target), then the peer. */
  const decoders = [
    { name: 'protobuf: Duckside wire reader', rate: 'protobuf', peer: 'protobufjs', target: protobufTarget },
    { name: 'protobuf: protobufjs decode + flatten (peer)', rate: 'protobufjs' },
    { name: 'JSON: Duckside pull scanner', rate: 'json', peer: 'jsonParse', target: jsonTarget },
    { name: 'JSON: JSON.parse alone, no flattening (peer)', rate: 'jsonParse' },
  ] as const;
  const rows = [main, unique].flatMap((w) =>
    decoders.map((d) => {
      const rate = w.rates[d.rate]!;
      const peer = 'peer' in d ? w.rates[d.peer] : undefined;
      return [
        w.label,
        d.name,
        formatCount(d.rate.startsWith('json') ? w.jsonBytes : w.protoBytes),
        formatCount(rate.cpu),
        formatCount(rate.wall),
        peer ? formatRatio(rate.cpu / peer.cpu) : '',
        targetCell(w === main && 'target' in d ? d.target : undefined),
      ];
    }),
  );

  const markdown = [
    markdownTable(
      [
        'Request',
        'Decoder',
        '>Body bytes',
        '>Points per CPU-second',
        '>Points per wall second',
        '>Duckside / peer (CPU)',
        'Target: meets',
      ],
      rows,
    ),
    '',
    `Workload: one SDK export of ${formatCount(main.points)} data points — 8 gauges (double), 8 monotonic sums (int) ` +
      'and 4 histograms (10 bounds) of 50 series each; every point carries symbol, venue, side and strategy ' +
      'attributes (the same 50 attribute sets in every metric, as an SDK export has them, or all unique in the ' +
      'second request); resource with 5 attributes, one scope. Bodies are written by ' +
      '`@opentelemetry/otlp-transformer` 0.223.0 (protobuf and JSON serializers), uncompressed. Each Duckside ' +
      'decoder produces the columnar `MetricBatch` core writes (typed attribute JSON, exact nanosecond times); ' +
      'protobufjs 8 decodes to message objects that are then flattened to one row per point. Medians of ' +
      `${samples} interleaved samples of ${ms} ms after a warm-up, single-threaded. "Per CPU-second" divides by ` +
      "this process's CPU time (the per-core figure; it stays meaningful when other work shares the machine), " +
      '"per wall second" by elapsed time. Targets, on the first request (per CPU-second): the protobuf decoder ' +
      `≥ ${TARGETS.protobuf}× protobufjs decode + flatten, the JSON decoder ≥ ${TARGETS.json}× \`JSON.parse\` alone ` +
      '(which builds objects but does not flatten them or type their values). 1-minute load average at start: ' +
      `${load.toFixed(1)} on ${cpus().length} cores.`,
  ].join('\n');
  return {
    title: 'OTLP decode throughput (1,000-point request)',
    markdown,
    results: {
      'otlp_decode.protobuf_points_per_cpu_s': main.rates.protobuf!.cpu,
      'otlp_decode.protobufjs_points_per_cpu_s': main.rates.protobufjs!.cpu,
      'otlp_decode.json_points_per_cpu_s': main.rates.json!.cpu,
      'otlp_decode.json_parse_points_per_cpu_s': main.rates.jsonParse!.cpu,
      'otlp_decode.protobuf_unique_attrs_points_per_cpu_s': unique.rates.protobuf!.cpu,
      'otlp_decode.json_unique_attrs_points_per_cpu_s': unique.rates.json!.cpu,
      'otlp_decode.protobuf_points_per_s': main.rates.protobuf!.wall,
      'otlp_decode.json_points_per_s': main.rates.json!.wall,
      ...ratioResults(targets),
    },
    targets,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  console.log(standaloneMarkdown(section));
}
