import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, tempDir } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberAfter, runExample } from './run-example.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Checks the figures every mode must print: fills stored exactly, latency quantiles and increases present. */
function expectRealFigures(stdout: string): void {
  const fills = numberAfter(stdout, 'orders,');
  expect(fills).toBeGreaterThan(5);
  expect(stdout).toContain(`stored fills: ${fills} of ${fills}`);
  const quantiles = stdout.split('Order latency quantiles')[1]?.split('\n\n')[0] ?? '';
  expect(quantiles.match(/BTC\/USD\s+0\.9900\s+[0-9.]+/)).not.toBeNull();
  // The fills counter's increase per strategy adds up to the fills the simulator made.
  const increases = stdout.split('Fills per strategy')[1]?.split('\n\n')[0] ?? '';
  const sum = [...increases.matchAll(/mm-\w+\s+([0-9.]+)/g)].reduce((s, m) => s + Number(m[1]), 0);
  expect(sum).toBe(fills);
  expect(stdout).toMatch(/Performance per strategy and symbol\n.*realizedPnl/);
  expectFillAnalysisMatchesGroundTruth(stdout, fills);
}

/** The rows of a printed table (header first), split into cells. */
function tableRows(stdout: string, title: string): string[][] {
  const block = stdout.split(title)[1]?.split('\n\n')[0] ?? '';
  return block
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim().split(/\s+/));
}

/**
 * Duckside's slippage and markouts per strategy (fill analysis against the stored quote mids) equal the
 * simulator's own figures: its slippage at order time and its markouts from the quotes it made.
 */
function expectFillAnalysisMatchesGroundTruth(stdout: string, fills: number): void {
  const duckside = tableRows(stdout, 'Fill analysis per strategy (Duckside; bps)');
  const truth = tableRows(stdout, 'Fill analysis per strategy (simulator ground truth; bps)');
  expect(duckside[0]).toEqual(['strategy', 'fills', 'slippage_bps', 'markout_500ms', 'markout_1s']);
  expect(truth[0]).toEqual(duckside[0]);
  expect(duckside.length).toBeGreaterThanOrEqual(2);
  expect(truth.length).toBe(duckside.length);
  for (let r = 1; r < duckside.length; r++) {
    const [ours, theirs] = [duckside[r] as string[], truth[r] as string[]];
    expect(ours.slice(0, 2)).toEqual(theirs.slice(0, 2));
    for (let c = 2; c < ours.length; c++) {
      expect(ours[c], `${ours[0]} ${duckside[0]?.[c]}`).not.toBe('-');
      expect(
        Math.abs(Number(ours[c]) - Number(theirs[c])),
        `${ours[0]} ${duckside[0]?.[c]}`,
      ).toBeLessThanOrEqual(1e-4);
    }
  }
  expect(duckside.slice(1).reduce((n, row) => n + Number(row[1]), 0)).toBe(fills);
  // The simulator's slippage is (rand - 0.3) * 3 bps: a mean near 0.6 bps, clearly not zero.
  expect(duckside.slice(1).every((row) => Number(row[2]) > 0.1)).toBe(true);
}

describe('observability-integration example', () => {
  it('exports through the in-process exporter and analyses the stored data', async () => {
    const { code, stdout, stderr } = await runExample('observability-integration', ['--duration', '2']);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/mode in-process/);
    expectRealFigures(stdout);
  });

  describe('sidecar mode', () => {
    let sidecar: ChildProcess;
    let endpoint: string;
    beforeAll(async () => {
      const port = await freePort();
      const dir = await tempDir('duckside-example-sidecar-');
      endpoint = `http://127.0.0.1:${port}`;
      sidecar = spawn(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          'packages/sidecar/src/bin.ts',
          '--port',
          String(port),
          '--db',
          join(dir.path, 'sidecar.duckdb'),
        ],
        { cwd: ROOT, env: { ...process.env, UV_THREADPOOL_SIZE: '8' }, stdio: 'ignore' },
      );
      for (let i = 0; i < 200; i++) {
        if (
          await fetch(`${endpoint}/healthz`).then(
            (r) => r.ok,
            () => false,
          )
        )
          return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the sidecar did not start');
    });
    afterAll(() => {
      sidecar?.kill('SIGTERM');
    });

    it('sends OTLP/HTTP to a running sidecar and analyses through its query API', async () => {
      const { code, stdout, stderr } = await runExample('observability-integration', [
        '--mode',
        'sidecar',
        '--endpoint',
        endpoint,
        '--duration',
        '2',
      ]);
      expect(stderr).not.toMatch(/Error/);
      expect(code).toBe(0);
      expect(stdout).toMatch(/mode sidecar/);
      expectRealFigures(stdout);
    });
  });
});
