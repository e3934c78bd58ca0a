import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/bin.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** A `duckside` process started the way `pnpm start` does. */
export interface CliProcess {
  readonly child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  /** Resolves the `listening` log line (url and pid of the server process). */
  listening(timeoutMs?: number): Promise<{ url: string; pid: number }>;
  /** Resolves when the process exits, with its code, signal and milliseconds since spawn. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

const running = new Set<ChildProcess>();

/**
 * Spawns `node --conditions=source --import tsx packages/sidecar/src/bin.ts ...args` from the repository root with
 * JSON logs. Without `UV_THREADPOOL_SIZE` in `env`, the launcher re-executes the CLI in a child process.
 * @example const p = spawnCli(['--db', file, '--port', '0']); const { url } = await p.listening();
 */
export function spawnCli(args: string[], env: Record<string, string | undefined> = {}): CliProcess {
  const started = performance.now();
  const { UV_THREADPOOL_SIZE: _ignored, ...inherited } = process.env;
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', BIN, '--log-format', 'json', ...args],
    {
      cwd: REPO_ROOT,
      env: { ...inherited, NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>(
    (resolve) => {
      child.on('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal, ms: performance.now() - started });
      });
    },
  );
  const logs = () =>
    output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child,
    output: () => output,
    logs,
    exited,
    listening: async (timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const line = logs().find((l) => l.msg === 'listening');
        if (line) return { url: String(line.url), pid: Number(line.pid) };
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`the sidecar did not start:\n${output}`);
    },
  };
}

/** Kills (SIGKILL) every process spawned by {@link spawnCli} that is still running, and the server processes. */
export function killAllSpawned(serverPids: number[] = []): void {
  for (const child of running) child.kill('SIGKILL');
  for (const pid of serverPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
