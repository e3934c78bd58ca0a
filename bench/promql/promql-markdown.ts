import { formatCount, formatMs, formatRatio } from '../lib/format.ts';
import { markdownTable } from '../lib/markdown-table.ts';
import { type RatioTarget, targetCell } from '../lib/ratio-target.ts';
import type { Timings } from '../lib/timing.ts';
import type { PromqlWorkload } from './promql-workloads.ts';

/** Measured figures of one workload. */
export interface WorkloadFigures {
  workload: PromqlWorkload;
  duckside: Timings;
  prometheus: Timings;
  /** Series (or values) in the answer, the same for both. */
  answerSize: number;
  /** 1-minute load average when the workload's runs ended. */
  load: number;
}

/** What the section loaded, for the report's workload line. */
export interface PromqlWorkloadShape {
  scalarPoints: number;
  histogramPoints: number;
  prometheusSamples: number;
  series: number;
  days: number;
  droppedSameMs: number;
  duckdbBytes: number;
  loadDucksideMs: number;
  backfillMs: number;
}

/**
 * The section's Markdown: the workload, then per call Duckside's and Prometheus' medians, the speed-up and its
 * target.
 * @example promqlMarkdown(shape, figures, targets, 5)
 */
export function promqlMarkdown(
  shape: PromqlWorkloadShape,
  figures: readonly WorkloadFigures[],
  targets: readonly RatioTarget[],
  runs: number,
): string {
  const rows = figures.map((f, i) => [
    f.workload.title,
    formatCount(f.answerSize),
    formatMs(f.duckside.median),
    formatMs(f.prometheus.median),
    formatRatio(f.prometheus.median / f.duckside.median),
    targetCell(targets[i]),
    f.load.toFixed(1),
  ]);
  return [
    `Workload: ${formatCount(shape.scalarPoints)} scalar points (the bench generator's trading data on whole ` +
      `milliseconds; ${formatCount(shape.droppedSameMs)} second points of a series in the same ms dropped) plus ` +
      `${formatCount(shape.histogramPoints)} classic histogram points (one per symbol per minute), ` +
      `${formatCount(shape.series)} Prometheus series, ${formatCount(shape.prometheusSamples)} Prometheus samples, ` +
      `${shape.days} days. Duckside: core, file-backed (${formatCount(shape.duckdbBytes / 1048576)} MiB, loaded in ` +
      `${formatMs(shape.loadDucksideMs)} ms), behind a sidecar on 127.0.0.1; Prometheus 2.42 on 127.0.0.1 over ` +
      `promtool-backfilled blocks (${formatMs(shape.backfillMs)} ms).`,
    '',
    `Median of ${runs} runs after one warm-up, interleaved, each an HTTP GET timed until its JSON is parsed. ` +
      'Both answers are checked equal first (series, labels, timestamps, values within 1e-9 relative).',
    '',
    markdownTable(
      ['Call', '>Series', '>Duckside ms', '>Prometheus ms', '>Speed-up', 'Target', '>Load (1 min)'],
      rows,
    ),
  ].join('\n');
}
