import type { RatioTarget } from './lib/ratio-target.ts';

/**
 * One section of the benchmark report. Every benchmark module exports
 * `run(options): Promise<BenchSection>`; `bench/run.ts` collects the sections
 * into one Markdown report and one JSON file.
 *
 * @example
 * ```ts
 * export async function run(options: BenchOptions): Promise<BenchSection> {
 *   const pointsPerSecond = await measure(options.quick ? 100_000 : 1_000_000);
 *   return {
 *     title: 'OTLP decode',
 *     markdown: `| points/s |\n|---|\n| ${pointsPerSecond} |`,
 *     results: { 'decode.points_per_s': pointsPerSecond },
 *     targets: [],
 *   };
 * }
 * ```
 */
export interface BenchSection {
  /** Heading of the section in the report (no leading `#`). */
  title: string;
  /** Markdown body of the section: tables and short notes. */
  markdown: string;
  /** Flat machine-readable figures, keyed `area.metric_unit` (e.g. `ingest.core_rows_per_s`). */
  results: Record<string, number>;
  /** The section's targets: ratios to peers measured in the same run (their ratios are in `results` too). */
  targets: RatioTarget[];
}

/**
 * Options every benchmark section receives.
 *
 * @example
 * ```ts
 * const rows = options.quick ? 1_000_000 : 10_000_000;
 * ```
 */
export interface BenchOptions {
  /** Quick mode: a 1M-row subset that finishes in under 3 minutes overall. */
  quick: boolean;
}

/**
 * Signature of a benchmark module's `run` export.
 *
 * @example
 * ```ts
 * const mod = (await import('./otlp-decode.ts')) as { run: BenchRun };
 * const section = await mod.run({ quick: true });
 * ```
 */
export type BenchRun = (options: BenchOptions) => Promise<BenchSection>;
