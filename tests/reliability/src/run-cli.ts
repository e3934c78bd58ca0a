import { spawnTsCli } from './sidecar-process.ts';

/** How a CLI run ended. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr, interleaved. */
  output: string;
  /** Milliseconds from spawn to exit. */
  ms: number;
  /** True when it had to be killed at the time limit. */
  timedOut: boolean;
}

/**
 * Runs a TypeScript CLI to its end (killing it after `timeoutMs`, default 30 s).
 * @example const run = await runCli(SIDECAR_BIN, ['--db', file, '--port', '0']);
 */
export function runCli(
  file: string,
  args: readonly string[],
  options: { timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const started = performance.now();
  const child = spawnTsCli(file, args, options.env ? { env: options.env } : {});
  const chunks: string[] = [];
  child.stdout?.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 30_000);
  return new Promise((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: chunks.join(''), ms: performance.now() - started, timedOut });
    });
  });
}
