import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

/** Where logs of failed scenarios are kept (git-ignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../../test-artifacts/reliability/', import.meta.url));

/** One measured figure of a scenario; `target`/`ok` are set when the figure is a pass/fail criterion. */
export interface Figure {
  scenario: string;
  name: string;
  value: string;
  target?: string;
  ok?: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** JSON-lines file where scenarios append their figures (printed as one table at the end of the run). */
    reliabilityResultsFile: string;
  }
}

/**
 * Collects a scenario's figures, prints them and appends them to the run's results file, from which the
 * global teardown prints one summary table.
 * @example
 * const report = new ScenarioReport('sigterm');
 * report.check('exit time', `${ms} ms`, '< 10000 ms', ms < 10_000);
 * report.publish();
 */
export class ScenarioReport {
  private readonly figures: Figure[] = [];
  private readonly logs = new Map<string, () => string>();
  private published = false;

  constructor(readonly scenario: string) {}

  /** An informational figure (no pass/fail). */
  figure(name: string, value: string | number): this {
    this.figures.push({ scenario: this.scenario, name, value: String(value) });
    return this;
  }

  /** A figure that is a criterion: `ok` tells whether `value` met `target`. Returns `ok`. */
  check(name: string, value: string | number, target: string, ok: boolean): boolean {
    this.figures.push({ scenario: this.scenario, name, value: String(value), target, ok });
    return ok;
  }

  /** Registers a process's output, saved under `test-artifacts/reliability/` if a criterion fails. */
  attachLog(name: string, output: () => string): void {
    this.logs.set(name, output);
  }

  /** The criteria that failed so far. */
  failures(): Figure[] {
    return this.figures.filter((f) => f.ok === false);
  }

  /** Prints the figures and appends them to the results file. Safe to call twice (the second call is a no-op). */
  publish(): void {
    if (this.published) return;
    this.published = true;
    const lines = this.figures.map(
      (f) =>
        `  ${f.ok === undefined ? ' ' : f.ok ? '✓' : '✗'} ${f.name}: ${f.value}${f.target ? ` (target ${f.target})` : ''}`,
    );
    console.log(`[reliability] ${this.scenario}\n${lines.join('\n')}`);
    const file = resultsFile();
    if (file) appendFileSync(file, this.figures.map((f) => `${JSON.stringify(f)}\n`).join(''));
    if (this.failures().length > 0 && this.logs.size > 0) {
      mkdirSync(ARTIFACTS_DIR, { recursive: true });
      for (const [name, output] of this.logs) {
        const path = join(ARTIFACTS_DIR, `${this.scenario.replace(/[^a-z0-9]+/gi, '-')}-${name}.log`);
        writeFileSync(path, output());
        console.log(`  log of ${name}: ${path}`);
      }
    }
  }
}

function resultsFile(): string | undefined {
  try {
    return inject('reliabilityResultsFile');
  } catch {
    return undefined;
  }
}
