/**
 * Entry of the benchmark suite.
 *
 *   pnpm bench                      every section, 1M and 10M rows
 *   pnpm bench --quick              a 1M-row subset (under 3 minutes)
 *   pnpm bench core                 only the named sections (core, otlp-decode, otlp-e2e, otel-exporter, migrator-import,
 *                                   analytics, distribution-quantiles, promql, rollups, tiering)
 *   pnpm bench --no-postgres        without the PostgreSQL comparison
 *
 * Markdown goes to stdout and to bench/results/<date>[-quick][-sections].md, with the raw JSON and the chart
 * (SVG) beside it; progress goes to stderr. Each section runs in a process of its own (see `runSectionInChild`).
 */
import { existsSync } from 'node:fs';
import type { BenchSection } from './bench-section.ts';
import type { CoreBenchOptions } from './core-section.ts';
import { sampleLoad } from './lib/load-sampler.ts';
import { machineInfo } from './lib/machine-info.ts';
import { type SectionOutcome, writeReport } from './lib/report-writer.ts';
import { runSectionInChild } from './lib/run-section.ts';

const SECTIONS = [
  'core',
  'otlp-decode',
  'otlp-e2e',
  'otel-exporter',
  'migrator-import',
  'analytics',
  'distribution-quantiles',
  'promql',
  'rollups',
  'tiering',
] as const;
const FILES: Record<(typeof SECTIONS)[number], string> = {
  core: './core-section.ts',
  'otlp-decode': './otlp-decode.ts',
  'otlp-e2e': './otlp-e2e.ts',
  'otel-exporter': './otel-exporter.ts',
  'migrator-import': './migrator-import.ts',
  analytics: './analytics-section.ts',
  'distribution-quantiles': './distribution-quantiles.ts',
  promql: './promql-section.ts',
  rollups: './rollups-section.ts',
  tiering: './tiering-section.ts',
};

function parseArgs(argv: readonly string[]): { quick: boolean; postgres: boolean; ids: string[] } {
  const flags = argv.filter((a) => a.startsWith('-'));
  const ids = argv.filter((a) => !a.startsWith('-'));
  const unknownFlag = flags.find((f) => !['--quick', '--no-postgres'].includes(f));
  const unknownId = ids.find((id) => !(SECTIONS as readonly string[]).includes(id));
  if (unknownFlag || unknownId) {
    process.stderr.write(
      `unknown ${unknownFlag ? `option ${unknownFlag}` : `section ${unknownId}`}\nusage: pnpm bench [--quick] [--no-postgres] [${SECTIONS.join('|')} ...]\n`,
    );
    process.exit(2);
  }
  return { quick: flags.includes('--quick'), postgres: !flags.includes('--no-postgres'), ids };
}

const args = parseArgs(process.argv.slice(2).filter((a) => a !== '--'));
const machine = machineInfo();
const load = sampleLoad();
const started = performance.now();
const outcomes: SectionOutcome[] = [];
const ids = args.ids.length > 0 ? args.ids : [...SECTIONS];
for (const id of ids as (typeof SECTIONS)[number][]) {
  const url = new URL(FILES[id], import.meta.url);
  if (!existsSync(url)) {
    process.stderr.write(`${id}: ${FILES[id]} does not exist yet, skipped\n`);
    outcomes.push({ id, skipped: `bench/${FILES[id].slice(2)} does not exist yet` });
    continue;
  }
  const sectionStart = performance.now();
  process.stderr.write(`${id}: running${args.quick ? ' (quick)' : ''}\n`);
  try {
    const options: CoreBenchOptions = { quick: args.quick, postgres: args.postgres };
    const section: BenchSection = await runSectionInChild(FILES[id], options);
    outcomes.push({ id, section, seconds: (performance.now() - sectionStart) / 1000 });
  } catch (error) {
    process.stderr.write(`${id}: failed: ${(error as Error)?.stack ?? String(error)}\n`);
    outcomes.push({ id, failed: String((error as Error)?.message ?? error) });
  }
}
const report = writeReport({
  quick: args.quick,
  command: ['pnpm bench', ...process.argv.slice(2).filter((a) => a !== '--')].join(' '),
  machine,
  load: load.stop(),
  outcomes,
  seconds: (performance.now() - started) / 1000,
  subset: args.ids.length > 0 ? args.ids : undefined,
});
process.stdout.write(report.markdown);
process.stderr.write(
  `report: ${report.markdownPath}\n        ${report.jsonPath}\n        ${report.chartPath ?? '(no chart)'}\n`,
);
if (outcomes.some((o) => o.failed)) process.exitCode = 1;
