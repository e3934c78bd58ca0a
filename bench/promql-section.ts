import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, startServer } from '@duckside/sidecar';
import type { BenchOptions, BenchSection } from './bench-section.ts';
import { SYMBOLS } from './core/trading-catalog.ts';
import { DATA_DAYS } from './core/trading-data.ts';
import { formatCount, formatMs } from './lib/format.ts';
import { interleavedRuns } from './lib/interleaved-runs.ts';
import { type RatioTarget, ratioResults } from './lib/ratio-target.ts';
import { timeMs } from './lib/timing.ts';
import { writeOpenMetrics } from './promql/open-metrics-file.ts';
import { startPrometheusPeer } from './promql/prometheus-peer.ts';
import { LATENCY_BOUNDS, promqlData } from './promql/promql-data.ts';
import { loadDuckside } from './promql/promql-duckside-load.ts';
import { promqlMarkdown, type WorkloadFigures } from './promql/promql-markdown.ts';
import { PROMQL_WORKLOADS, type PromqlWorkload } from './promql/promql-workloads.ts';
import { measureRemoteWriteIngest } from './promql/remote-write-ingest.ts';
import { type ApiBody, answerSize, sameAnswer } from './promql/same-answer.ts';

const RUNS = 5;
/** Target (issue 15): remote_write samples committed per second. */
const REMOTE_WRITE_SAMPLES_PER_S = 200_000;

/** GET a Prometheus API call and parse its JSON (what Grafana waits for). */
async function call(base: string, w: PromqlWorkload): Promise<ApiBody> {
  const response = await fetch(`${base}${w.path}?${new URLSearchParams(w.params)}`);
  return (await response.json()) as ApiBody;
}

/**
 * The PromQL benchmark: the bench's trading data (10M scalar points, 1M quick) plus per-symbol classic
 * histograms, loaded into Duckside (core, file) and a real Prometheus 2.42 (promtool backfill) in the same run;
 * each call of `PROMQL_WORKLOADS` over HTTP against both, answers checked equal, median of 5.
 * @example const section = await run({ quick: true });
 */
export async function run(options: BenchOptions): Promise<BenchSection> {
  const log = (line: string) => process.stderr.write(`promql: ${line}\n`);
  const rows = options.quick ? 1_000_000 : 10_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'duckside-bench-promql-'));
  try {
    log(`generating ${rows.toLocaleString('en-US')} points`);
    const data = promqlData(rows);
    const dbPath = join(dir, 'promql.duckdb');
    log('loading Duckside');
    const loadDucksideMs = await timeMs(() => loadDuckside(data, dbPath));
    log('writing OpenMetrics and backfilling Prometheus');
    const omPath = join(dir, 'data.om');
    const prometheusSamples = writeOpenMetrics(data, omPath);
    const prometheus = await startPrometheusPeer(omPath);
    rmSync(omPath);
    const server = await startServer({
      config: configSchema.parse({
        port: 0,
        host: '127.0.0.1',
        database: dbPath,
        disablePlugins: ['retention', 'dashboard'],
        log: { level: 'warn', format: 'json' },
        query: { timeout: 120_000, maxRows: 1_000_000 },
      }),
    });
    const figures: WorkloadFigures[] = [];
    try {
      for (const w of PROMQL_WORKLOADS) {
        const [ours, theirs] = [await call(server.url, w), await call(prometheus.url, w)];
        const problems = sameAnswer(ours, theirs);
        if (problems.length > 0)
          throw new Error(`${w.id}: Duckside and Prometheus differ: ${problems.join('; ')}`);
        const [duckside, prom] = await interleavedRuns(RUNS, [
          () => call(server.url, w),
          () => call(prometheus.url, w),
        ]);
        figures.push({
          workload: w,
          duckside: duckside!,
          prometheus: prom!,
          answerSize: answerSize(theirs),
          load: loadavg()[0] ?? 0,
        });
        log(`${w.id}: duckside ${formatMs(duckside!.median)} ms, prometheus ${formatMs(prom!.median)} ms`);
      }
    } finally {
      await server.shutdown();
      await prometheus.stop();
    }
    const series = new Set(data.scalars.key).size + SYMBOLS.length * (LATENCY_BOUNDS.length + 3);
    const targets: RatioTarget[] = figures.map((f) => ({
      key: `promql.${f.workload.id}.speedup`,
      figure: `PromQL ${f.workload.title}`,
      duckside: `${formatMs(f.duckside.median)} ms`,
      peer: `Prometheus 2.42: ${formatMs(f.prometheus.median)} ms`,
      how: 'Prometheus ms ÷ Duckside ms',
      ratio: f.prometheus.median / f.duckside.median,
      bound: f.workload.speedup,
      better: 'higher',
    }));
    const results: Record<string, number> = {};
    for (const f of figures) {
      results[`promql.${f.workload.id}.duckside_ms`] = f.duckside.median;
      results[`promql.${f.workload.id}.prometheus_ms`] = f.prometheus.median;
    }
    const histogramPoints = data.histograms.steps * SYMBOLS.length;
    log('promql: remote_write ingest');
    const ingest = await measureRemoteWriteIngest(options.quick ? { requests: 100 } : {});
    results['promql.remote_write.samples_per_s'] = ingest.samplesPerSecond;
    results['promql.remote_write.samples_per_cpu_s'] = ingest.samples / ingest.cpuSeconds;
    targets.push({
      key: 'promql.remote_write.over_200k',
      figure: 'remote_write ingest, samples committed per second, vs the 200,000/s target',
      duckside: `${formatCount(ingest.samplesPerSecond)} samples/s`,
      peer: 'target: 200,000 samples/s',
      how: 'samples/s ÷ 200,000',
      ratio: ingest.samplesPerSecond / REMOTE_WRITE_SAMPLES_PER_S,
      bound: 1,
      better: 'higher',
    });
    const remoteWrite = [
      '',
      '',
      `remote_write ingest: ${formatCount(ingest.samplesPerSecond)} samples committed/s ` +
        `(${formatCount(ingest.samples / ingest.cpuSeconds)} per CPU-second, sidecar and senders together); ` +
        `${ingest.workload}; mean body ${formatCount(ingest.bodyBytes)} B snappy. Target ≥ 200,000 samples/s.`,
    ].join('\n');
    return {
      title: 'PromQL: Duckside vs Prometheus 2.42',
      markdown: `${promqlMarkdown(
        {
          scalarPoints: data.scalars.length,
          histogramPoints,
          prometheusSamples,
          series,
          days: DATA_DAYS,
          droppedSameMs: data.droppedSameMs,
          duckdbBytes: statSync(dbPath).size,
          loadDucksideMs,
          backfillMs: prometheus.backfillMs,
        },
        figures,
        targets,
        RUNS,
      )}${remoteWrite}`,
      results: { ...results, ...ratioResults(targets) },
      targets,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
