/**
 * Benchmark of `@duckside/otel-exporter`: one export cycle of 10k series (cumulative temporality) from the real
 * OpenTelemetry SDK into a DuckDB file — time per cycle and the longest event-loop stall.
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
import { DuckDBMetricExporter, type ExportResult } from '@duckside/otel-exporter';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { BenchOptions, BenchSection } from './bench-section.ts';

const SYMBOLS = Array.from({ length: 250 }, (_, i) => `SYM${i}/USD`);
const VENUES = ['alpaca', 'coinbase', 'kraken', 'binance'];
const SIDES = ['buy', 'sell'];

/** Series per instrument: 4000 + 3000 + 2000 + 1000 = 10 000 data points per export. */
const WORKLOAD = { counter: 4000, gauge: 3000, histogram: 2000, upDownCounter: 1000 } as const;
const SERIES = WORKLOAD.counter + WORKLOAD.gauge + WORKLOAD.histogram + WORKLOAD.upDownCounter;

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

/** Runs the benchmark: `quick` runs 10 measured cycles, otherwise 30 (after warm-up cycles). */
export async function run(options: BenchOptions): Promise<BenchSection> {
  const warmup = options.quick ? 3 : 5;
  const cycles = options.quick ? 10 : 30;
  const dir = mkdtempSync(join(tmpdir(), 'duckside-bench-otel-'));
  const db = await Database.open({ path: join(dir, 'metrics.duckdb') });
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
  delay.enable();
  await sleep(50);
  const exportMs: number[] = [];
  const cycleMs: number[] = [];
  const exportStalls: number[] = [];
  const collectStalls: number[] = [];
  const idleStalls: number[] = [];
  const exportGcPauses: number[] = [];
  const exportCpuMs: number[] = [];
  try {
    for (let cycle = 0; cycle < warmup + cycles; cycle++) {
      record(cycle);
      await sleep(20);
      delay.reset();
      const t0 = performance.now();
      const { resourceMetrics, errors } = await reader.collect();
      const t1 = performance.now();
      if (errors.length > 0) throw new AggregateError(errors, 'collection failed');
      await sleep(5);
      const collectStall = delay.max / 1e6;
      delay.reset();
      const cpu = process.cpuUsage();
      gcMax = 0;
      const t2 = performance.now();
      const result = await exportOnce(exporter, resourceMetrics);
      const t3 = performance.now();
      const used = process.cpuUsage(cpu);
      const exportGc = gcMax;
      await sleep(5);
      const exportStall = delay.max / 1e6;
      // The machine's own noise: the longest stall of an idle event loop over a window as long as the export.
      delay.reset();
      await sleep(Math.max(20, t3 - t2));
      const idleStall = delay.max / 1e6;
      if (result.code !== 0) throw result.error ?? new Error('export failed');
      if (cycle < warmup) continue;
      exportMs.push(t3 - t2);
      exportCpuMs.push((used.user + used.system) / 1000);
      cycleMs.push(t1 - t0 + (t3 - t2));
      exportStalls.push(exportStall);
      exportGcPauses.push(exportGc);
      idleStalls.push(idleStall);
      collectStalls.push(collectStall);
    }
    const [stored] = await db.all(
      compiled<{ n: number }>(
        'SELECT (SELECT count(*) FROM trading_metrics) + (SELECT count(*) FROM otel_histograms) AS n',
        [],
      ),
    );
    if (Number(stored?.n) !== SERIES * (warmup + cycles)) {
      throw new Error(`expected ${SERIES * (warmup + cycles)} stored points, found ${stored?.n}`);
    }
  } finally {
    delay.disable();
    gc.disconnect();
    await exporter.shutdown();
    await provider.shutdown();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const stats = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), max: sorted.at(-1) ?? Number.NaN };
  };
  const figures = {
    export: stats(exportMs),
    cycle: stats(cycleMs),
    exportCpu: stats(exportCpuMs),
    exportStall: stats(exportStalls),
    exportGc: stats(exportGcPauses),
    collectStall: stats(collectStalls),
    idleStall: stats(idleStalls),
  };
  const row = (label: string, s: { p50: number; p95: number; max: number }, target: string): string =>
    `| ${label} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} | ${target} |`;
  const results = {
    'otel_exporter.export_p50_ms': figures.export.p50,
    'otel_exporter.export_p95_ms': figures.export.p95,
    'otel_exporter.export_max_ms': figures.export.max,
    'otel_exporter.cycle_with_collect_p50_ms': figures.cycle.p50,
    'otel_exporter.export_stall_p50_ms': figures.exportStall.p50,
    'otel_exporter.export_max_stall_ms': figures.exportStall.max,
    'otel_exporter.sdk_collect_max_stall_ms': figures.collectStall.max,
    'otel_exporter.export_cpu_p50_ms': figures.exportCpu.p50,
    'otel_exporter.idle_max_stall_ms': figures.idleStall.max,
    'otel_exporter.export_gc_pause_p50_ms': figures.exportGc.p50,
    'otel_exporter.series': SERIES,
  };
  const markdown = [
    `Workload: ${SERIES.toLocaleString('en-US')} series per export (counter ${WORKLOAD.counter}, gauge ${WORKLOAD.gauge}, ` +
      `histogram ${WORKLOAD.histogram}, up-down counter ${WORKLOAD.upDownCounter}; 4 attributes each, fresh attribute ` +
      `objects per measurement), cumulative temporality, real SDK \`MeterProvider\`, DuckDB file, ${cycles} measured ` +
      `cycles after ${warmup} warm-up. Stall = max of \`monitorEventLoopDelay({ resolution: 1 })\` over the window.`,
    '',
    '| figure | p50 | p95 | max | target |',
    '|---|---:|---:|---:|---|',
    row('export (map + write + commit), ms', figures.export, '< 50'),
    row('export CPU time (all threads), ms', figures.exportCpu, ''),
    row('cycle incl. SDK collect, ms', figures.cycle, ''),
    row('event-loop stall during export, ms', figures.exportStall, '≤ 10'),
    row('longest GC pause during export, ms', figures.exportGc, ''),
    row('event-loop stall during SDK collect, ms', figures.collectStall, '(SDK)'),
    row('stall of an idle loop, same window (machine noise), ms', figures.idleStall, ''),
  ].join('\n');
  return { title: 'OpenTelemetry exporter: one export cycle of 10k series', markdown, results };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  console.log(`## ${section.title}\n\n${section.markdown}`);
}
