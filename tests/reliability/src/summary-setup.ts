import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { formatTable } from './format-table.ts';
import type { Figure } from './scenario-report.ts';

/**
 * Vitest global setup of the reliability project: hands the scenarios a results file and, when the run ends,
 * prints every scenario's figures as one summary table.
 */
export default function setup(project: TestProject): () => void {
  const file = join(tmpdir(), `duckside-reliability-${process.pid}-${Date.now()}.jsonl`);
  writeFileSync(file, '');
  project.provide('reliabilityResultsFile', file);
  return () => {
    if (!existsSync(file)) return;
    const figures = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Figure);
    rmSync(file, { force: true });
    if (figures.length === 0) return;
    const rows = figures.map((f) => [
      f.scenario,
      f.name,
      f.value.length > 60 ? `${f.value.slice(0, 57)}...` : f.value,
      f.target ?? '',
      f.ok === undefined ? '' : f.ok ? 'ok' : 'FAIL',
    ]);
    const failed = figures.filter((f) => f.ok === false).length;
    const mode = process.env.RELIABILITY_LONG === '1' ? 'long' : 'quick';
    console.log(
      `\nDuckside reliability summary (${mode} run, ${failed} failed criteria)\n${formatTable(['scenario', 'figure', 'value', 'target', ''], rows)}\n`,
    );
  };
}
