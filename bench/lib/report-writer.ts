import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSection } from '../bench-section.ts';
import { coreChart } from '../core/core-chart.ts';
import { formatBytes } from './format.ts';
import type { LoadSummary } from './load-sampler.ts';
import type { MachineInfo } from './machine-info.ts';
import { markdownTable } from './markdown-table.ts';
import { meets, ratioTable } from './ratio-target.ts';

/** What became of one section: its results, or why it was skipped or failed. */
export interface SectionOutcome {
  id: string;
  section?: BenchSection;
  seconds?: number;
  skipped?: string;
  failed?: string;
}

/** Everything a report is made of. */
export interface ReportInput {
  quick: boolean;
  command: string;
  machine: MachineInfo;
  load: LoadSummary;
  outcomes: SectionOutcome[];
  seconds: number;
  /** Section ids when only some ran. */
  subset?: string[] | undefined;
}

/** Where the report went, and its Markdown. */
export interface WrittenReport {
  markdown: string;
  markdownPath: string;
  jsonPath: string;
  chartPath?: string;
}

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/**
 * Writes `bench/results/<date>[-quick][-ids].md`, `.json` and, when core ran, `.svg`, and returns the Markdown.
 * @example const { markdown } = writeReport({ quick: true, command: 'pnpm bench --quick', machine, outcomes, seconds });
 */
export function writeReport(input: ReportInput): WrittenReport {
  const date = new Date().toISOString().slice(0, 10);
  const name = [date, input.quick ? 'quick' : undefined, input.subset?.join('+')].filter(Boolean).join('-');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const results: Record<string, number> = {};
  for (const o of input.outcomes) Object.assign(results, o.section?.results);
  const chart = coreChart(results);
  const chartPath = chart ? join(RESULTS_DIR, `${name}.svg`) : undefined;
  if (chart && chartPath) writeFileSync(chartPath, chart);
  const markdown = renderMarkdown(input, date, chartPath ? basename(chartPath) : undefined);
  const markdownPath = join(RESULTS_DIR, `${name}.md`);
  const jsonPath = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(markdownPath, markdown);
  writeFileSync(
    jsonPath,
    `${JSON.stringify(
      {
        date,
        command: input.command,
        quick: input.quick,
        seconds: input.seconds,
        machine: input.machine,
        load: input.load,
        sections: input.outcomes.map((o) => ({
          id: o.id,
          title: o.section?.title,
          seconds: o.seconds,
          skipped: o.skipped,
          failed: o.failed,
          results: o.section?.results,
          targets: o.section?.targets,
        })),
        results,
      },
      null,
      2,
    )}\n`,
  );
  return { markdown, markdownPath, jsonPath, ...(chartPath ? { chartPath } : {}) };
}

function renderMarkdown(input: ReportInput, date: string, chartFile: string | undefined): string {
  const m = input.machine;
  const parts = [
    `# Duckside benchmarks, ${date}${input.quick ? ' (quick mode)' : ''}`,
    '',
    `\`${input.command}\` took ${Math.round(input.seconds)} s.`,
    '',
    markdownTable(
      ['Machine', ''],
      [
        ['CPU', `${m.cpuModel}, ${m.cores} cores`],
        ['Memory', `${formatBytes(m.memoryBytes)} (${formatBytes(m.freeMemoryBytes)} free at start)`],
        ['OS', m.os],
        ['Node', m.node],
        ['DuckDB', m.duckdb],
        [
          'Load average (1 min) during the run',
          `${input.load.start.toFixed(1)} at start, mean ${input.load.mean.toFixed(1)}, max ${input.load.max.toFixed(1)} (${m.cores} cores; above ${m.cores}, other work competed for the CPU)`,
        ],
      ],
    ),
  ];
  parts.push(...targetsSummary(input.outcomes));
  if (chartFile) parts.push('', `![Duckside vs PostgreSQL vs the original design's claims](${chartFile})`);
  for (const o of input.outcomes) {
    if (o.section) {
      parts.push(
        '',
        `## ${o.section.title}`,
        '',
        `_${Math.round(o.seconds ?? 0)} s_`,
        '',
        o.section.markdown,
      );
    }
  }
  const missing = input.outcomes.filter((o) => !o.section);
  if (missing.length > 0) {
    parts.push('', '## Not run', '');
    for (const o of missing) parts.push(`- ${o.id}: ${o.skipped ?? `failed: ${o.failed}`}`);
  }
  return `${parts.join('\n')}\n`;
}

/** Every section's ratio targets in one table, with how many are met. */
function targetsSummary(outcomes: readonly SectionOutcome[]): string[] {
  const withTargets = outcomes.filter((o) => (o.section?.targets.length ?? 0) > 0);
  if (withTargets.length === 0) return [];
  const targets = withTargets.flatMap((o) => o.section!.targets.map((t) => ({ id: o.id, t })));
  const met = targets.filter(({ t }) => meets(t.ratio, t.bound, t.better)).length;
  const sectionOf = new Map(targets.map(({ id, t }) => [t, id]));
  return [
    '',
    '## Targets: ratios to peers measured in the same run',
    '',
    `Each target divides Duckside's figure by a peer's measured in the same run (and process), so that it holds ` +
      `on a slower or busier machine; the absolute figures are in the sections below. **${met} of ` +
      `${targets.length} met.**`,
    '',
    ratioTable(
      targets.map(({ t }) => t),
      (t) => sectionOf.get(t) ?? '',
    ),
  ];
}
