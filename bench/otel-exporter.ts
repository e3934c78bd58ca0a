/**
 * Benchmark of `@duckside/otel-exporter`: one export cycle of 10k series (cumulative temporality) from the real
 * OpenTelemetry SDK into a DuckDB file — time per cycle and the longest event-loop stall — next to two peers
 * measured in the same cycles: writing the same points (mapped beforehand) with one `db.writeMetricBatch` into a
 * second file, taking turns with the export, and an idle event loop over a window as long as the export.
 * Targets: export time <= 1.3x the write's; event-loop stall <= 5x the idle loop's (on a quiet machine the
 * idle loop's is ~1.1 ms, the timer resolution, and the export's ~4 ms: one slice of mapping and appending).
 * Run alone: `pnpm exec tsx --conditions=source bench/otel-exporter.ts [--quick]`
 * (`DUCKSIDE_BENCH_SLICE_ROWS` overrides the exporter's `sliceRows`, default 1024).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { compiled, Database } from '@duckside/core';
import { DuckDBMetricExporter, type ExportResult, toMetricBatch } from '@duckside/otel-exporter';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { BenchOptions, BenchSection } from './bench-section.ts';
import { tableFingerprint } from './core/table-fingerprint.ts';
import { formatMs, formatRatio } from './lib/format.ts';
import { type RatioTarget, ratioResults, targetCell } from './lib/ratio-target.ts';
import { standaloneMarkdown } from './lib/standalone-markdown.ts';

const SYMBOLS = Array.from({ length: 250 }, (_, i) => `SYM${i}/USD`);
const VENUES = ['alpaca', 'coinbase', 'kraken', 'binance'];
const SIDES = ['buy', 'sell'];

/** Series per instrument: 4000 + 3000 + 2000 + 1000 = 10 000 data points per export. */
const WORKLOAD = { counter: 4000, gauge: 3000, histogram: 2000, upDownCounter: 1000 } as const;
const SERIES = WORKLOAD.counter + WORKLOAD.gauge + WORKLOAD.histogram + WORKLOAD.upDownCounter;
/** Targets (issue 20): export ms ÷ `writeMetricBatch` ms of the same points; export stall ÷ idle-loop stall (p50s). */
const TARGETS = { exportOverWrite: 1.3, stallOverIdle: 5 };

class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

function labels(i: number): { symbol: string; venue: string; side: string; strategy: string } {
  return {
    symbol: SYMBOLS[i % SYMBOLS.length] as string,
    venue: VENUES[Math.floor(i / SYMBOLS.length) % VENUES.length] as string,
    side: SIDES[Math.floor(i / (SYMBOLS.length * VENUES.length)) % SIDES.length] as string,
    strategy: `s${Math.floor(i / (SYMBOLS.length * VENUES.length * SIDES.length))}`,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

function exportOnce(exporter: DuckDBMetricExporter, metrics: ResourceMetrics): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(metrics, resolve));
}

/** One timed step of a cycle. */
interface Step {
  ms: number;
  /** CPU time of this process (all threads) over the step. */
  cpuMs: number;
  /** The longest event-loop stall over the step (and 5 ms after it). */
  stall: number;
  /** The longest garbage-collection pause over the step. */
  gc: number;
}

interface Stats {
  p50: number;
  p95: number;
  max: number;
}

function stats(values: readonly number[]): Stats {
  const sorted = [...values].sort((x, y) => x - y);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1) ?? Number.NaN };
}

/** Points in the metric tables the exporter fills (scalars and histograms). */
async function storedPoints(db: Database): Promise<number> {
  const [stored] = await db.all(
    compiled<{ n: number }>(
      'SELECT (SELECT count(*) FROM trading_metrics) + (SELECT count(*) FROM otel_histograms) AS n',
      [],
    ),
  );
  return Number(stored?.n);
}

/** Runs the benchmark: `quick` runs 10 measured cycles, otherwise 30 (after warm-up cycles). */
export async function run(options: BenchOptions): Promise<BenchSection> {
  const warmup = options.quick ? 3 : 5;
  const cycles = options.quick ? 10 : 30;
  const dir = mkdtempSync(join(tmpdir(), 'duckside-bench-otel-'));
  const db = await Database.open({ path: join(dir, 'metrics.duckdb') });
  const peerDb = await Database.open({ path: join(dir, 'peer.duckdb') });
  const exporter = new DuckDBMetricExporter({
    database: db,
    sliceRows: Number(process.env.DUCKSIDE_BENCH_SLICE_ROWS ?? 1024),
  });
  const reader = new ManualReader({ cardinalitySelector: () => 100_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench-oms', 'deployment.environment': 'bench' }),
    readers: [reader],
  });
  const meter = provider.getMeter('duckside-bench', '1.0.0');
  const orders = meter.createCounter('orders_total', { valueType: ValueType.INT });
  const spread = meter.createGauge('spread_bps', { unit: 'bp' });
  const latency = meter.createHistogram('order_latency_ms', { unit: 'ms' });
  const open = meter.createUpDownCounter('open_orders', { valueType: ValueType.INT });
  const record = (cycle: number): void => {
    // Fresh attribute objects on every call, as typical application code does.
    for (let i = 0; i < WORKLOAD.counter; i++) orders.add(1 + (cycle % 3), labels(i));
    for (let i = 0; i < WORKLOAD.gauge; i++) spread.record(1 + ((i * 7 + cycle) % 50) / 10, labels(i));
    for (let i = 0; i < WORKLOAD.histogram; i++) latency.record(((i * 13 + cycle) % 400) / 4, labels(i));
    for (let i = 0; i < WORKLOAD.upDownCounter; i++) open.add(cycle % 2 === 0 ? 1 : -1, labels(i));
  };

  const delay = monitorEventLoopDelay({ resolution: 1 });
  // Garbage-collection pauses (they stop the event loop too), to tell them apart from the exporter's own steps.
  let gcMax = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMax = Math.max(gcMax, entry.duration);
  });
  gc.observe({ entryTypes: ['gc'] });
  const step = async (fn: () => Promise<unknown>): Promise<Step> => {
    delay.reset();
    gcMax = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await fn();
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const gcPause = gcMax;
    await sleep(5);
    return { ms, cpuMs: (used.user + used.system) / 1000, stall: delay.max / 1e6, gc: gcPause };
  };
  delay.enable();
  await sleep(50);
  const exports: Step[] = [];
  const writes: Step[] = [];
  const collects: Step[] = [];
  const idleStalls: number[] = [];
  try {
    for (let cycle = 0; cycle < warmup + cycles; cycle++) {
      record(cycle);
      await sleep(20);
      let metrics: ResourceMetrics | undefined;
      const collect = await step(async () => {
        const { resourceMetrics, errors } = await reader.collect();
        if (errors.length > 0) throw new AggregateError(errors, 'collection failed');
        metrics = resourceMetrics;
      });
      const collected = metrics!;
      // The peer's points, mapped before its clock starts: it times the write alone.
      const batch = toMetricBatch(collected);
      const exportStep = () =>
        step(async () => {
          const result = await exportOnce(exporter, collected);
          if (result.code !== 0) throw result.error ?? new Error('export failed');
        });
      const writeStep = () => step(() => peerDb.writeMetricBatch(batch));
      // The export and its peer take turns going first.
      const first = cycle % 2 === 0 ? await exportStep() : await writeStep();
      const second = cycle % 2 === 0 ? await writeStep() : await exportStep();
      const [exported, written] = cycle % 2 === 0 ? [first, second] : [second, first];
      // The machine's own noise: the longest stall of an idle event loop over a window as long as the export.
      delay.reset();
      await sleep(Math.max(20, exported.ms));
      const idleStall = delay.max / 1e6;
      if (cycle < warmup) continue;
      exports.push(exported);
      writes.push(written);
      collects.push(collect);
      idleStalls.push(idleStall);
    }
    const expected = SERIES * (warmup + cycles);
    for (const [name, d] of [
      ['exporter', db],
      ['writeMetricBatch', peerDb],
    ] as const) {
      const n = await storedPoints(d);
      if (n !== expected)
        throw new Error(`expected ${expected} stored points through the ${name}, found ${n}`);
    }
    const [ours, peers] = [
      await db.withConnection(tableFingerprint),
      await peerDb.withConnection(tableFingerprint),
    ];
    if (ours !== peers)
      throw new Error(`the exporter and writeMetricBatch stored different rows: ${ours} vs ${peers}`);
  } finally {
    delay.disable();
    gc.disconnect();
    await exporter.shutdown();
    await provider.shutdown();
    await db.close();
    await peerDb.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const figures = {
    export: stats(exports.map((e) => e.ms)),
    write: stats(writes.map((w) => w.ms)),
    cycle: stats(exports.map((e, i) => e.ms + collects[i]!.ms)),
    exportCpu: stats(exports.map((e) => e.cpuMs)),
    exportStall: stats(exports.map((e) => e.stall)),
    writeStall: stats(writes.map((w) => w.stall)),
    exportGc: stats(exports.map((e) => e.gc)),
    collectStall: stats(collects.map((c) => c.stall)),
    idleStall: stats(idleStalls),
  };
  const targets: RatioTarget[] = [
    {
      key: 'otel_exporter.export_over_write',
      figure: '10k-series export (map + write + commit), p50',
      duckside: `${formatMs(figures.export.p50)} ms`,
      peer: `\`db.writeMetricBatch\` of the same points: ${formatMs(figures.write.p50)} ms`,
      how: 'export ÷ write ms',
      ratio: figures.export.p50 / figures.write.p50,
      bound: TARGETS.exportOverWrite,
      better: 'lower',
    },
    {
      key: 'otel_exporter.stall_over_idle',
      figure: 'Event-loop stall during the export, p50',
      duckside: `${formatMs(figures.exportStall.p50)} ms`,
      peer: `idle loop over as long a window: ${formatMs(figures.idleStall.p50)} ms`,
      how: 'export ÷ idle stall ms',
      ratio: figures.exportStall.p50 / figures.idleStall.p50,
      bound: TARGETS.stallOverIdle,
      better: 'lower',
    },
  ];
  const row = (label: string, s: Stats, target = ''): string =>
    `| ${label} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} | ${target} |`;
  const results = {
    'otel_exporter.export_p50_ms': figures.export.p50,
    'otel_exporter.export_p95_ms': figures.export.p95,
    'otel_exporter.export_max_ms': figures.export.max,
    'otel_exporter.write_metric_batch_p50_ms': figures.write.p50,
    'otel_exporter.cycle_with_collect_p50_ms': figures.cycle.p50,
    'otel_exporter.export_stall_p50_ms': figures.exportStall.p50,
    'otel_exporter.export_max_stall_ms': figures.exportStall.max,
    'otel_exporter.write_metric_batch_stall_p50_ms': figures.writeStall.p50,
    'otel_exporter.sdk_collect_max_stall_ms': figures.collectStall.max,
    'otel_exporter.export_cpu_p50_ms': figures.exportCpu.p50,
    'otel_exporter.idle_stall_p50_ms': figures.idleStall.p50,
    'otel_exporter.idle_max_stall_ms': figures.idleStall.max,
    'otel_exporter.export_gc_pause_p50_ms': figures.exportGc.p50,
    'otel_exporter.series': SERIES,
    ...ratioResults(targets),
  };
  const [exportTarget, stallTarget] = targets;
  const markdown = [
    `Workload: ${SERIES.toLocaleString('en-US')} series per export (counter ${WORKLOAD.counter}, gauge ${WORKLOAD.gauge}, ` +
      `histogram ${WORKLOAD.histogram}, up-down counter ${WORKLOAD.upDownCounter}; 4 attributes each, fresh attribute ` +
      `objects per measurement), cumulative temporality, real SDK \`MeterProvider\`, DuckDB file, ${cycles} measured ` +
      `cycles after ${warmup} warm-up. Stall = max of \`monitorEventLoopDelay({ resolution: 1 })\` over the window. ` +
      'Peers, in the same cycles: the same points, mapped beforehand with `toMetricBatch` (not timed), written with one ' +
      '`db.writeMetricBatch` into a second database file (the export and the write take turns going first; both ' +
      'files must hold the same rows at the end), and an idle event loop over a window as long as the export. ' +
      `Targets: export p50 ≤ ${formatRatio(TARGETS.exportOverWrite)} the write's, export stall p50 ≤ ` +
      `${formatRatio(TARGETS.stallOverIdle)} the idle loop's.`,
    '',
    '| figure | p50 | p95 | max | target: meets |',
    '|---|---:|---:|---:|---|',
    row('export (map + write + commit), ms', figures.export, targetCell(exportTarget)),
    row('peer: `db.writeMetricBatch` of the same points, ms', figures.write),
    row('export CPU time (all threads), ms', figures.exportCpu),
    row('cycle incl. SDK collect, ms', figures.cycle),
    row('event-loop stall during export, ms', figures.exportStall, targetCell(stallTarget)),
    row('peer: stall of an idle loop, same window (machine noise), ms', figures.idleStall),
    row('stall during the one-call `writeMetricBatch`, ms', figures.writeStall),
    row('longest GC pause during export, ms', figures.exportGc),
    row('event-loop stall during SDK collect, ms', figures.collectStall, '(SDK)'),
  ].join('\n');
  return { title: 'OpenTelemetry exporter: one export cycle of 10k series', markdown, results, targets };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  console.log(standaloneMarkdown(section));
}
