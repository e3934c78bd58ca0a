import { describe, expect, it } from 'vitest';
import { numberAfter, runExample } from './run-example.ts';

describe('migration example', () => {
  it('applies, rolls back and re-applies migrations, then imports CSV and Parquet with verified per-day totals', async () => {
    const { code, stdout, stderr } = await runExample('migration', ['--duration', '0.5']);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/tracking: 0 applied, 8 pending/);
    expect(stdout).toMatch(/rolled back: 1000 strategy_notes/);
    expect(stdout).toMatch(/verify: schema matches version 1000/);
    const csvRows = numberAfter(stdout, 'imported');
    expect(csvRows).toBe(1000);
    expect(stdout).toMatch(/from csv .* 0 rejected; verification ok/);
    expect(stdout).toMatch(/from parquet .* 0 rejected; verification ok/);
    expect(stdout).toMatch(/re-run of the csv import: skipped/);
    expect(stdout).toMatch(/re-run of the parquet import: skipped/);
    // Both files landed: the table holds twice the rows of one file.
    expect(stdout).toMatch(new RegExp(`trading_trades\\s+${2 * csvRows}\\s`));
  });
});
