import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs an example script the way `pnpm example:<name>` does and returns its exit code and output. */
export function runExample(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', `apps/examples/src/${script}.ts`, ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Extracts the first number following `label` in text (e.g. `inserted 123 metric points`). */
export function numberAfter(text: string, label: string): number {
  const m = new RegExp(`${label}\\s*([0-9.]+)`).exec(text);
  if (!m) throw new Error(`no "${label}" figure in output:\n${text}`);
  return Number(m[1]);
}
