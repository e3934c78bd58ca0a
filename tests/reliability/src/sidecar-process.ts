import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, onExit } from '@duckside/testkit';
import { send } from './http-request.ts';

/** Root of the repository (the sidecar runs from its TypeScript sources through tsx). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The `duckside` CLI entry. */
export const SIDECAR_BIN = fileURLToPath(new URL('../../../packages/sidecar/src/bin.ts', import.meta.url));
/** The `duckside-migrate` CLI entry. */
export const MIGRATOR_BIN = fileURLToPath(new URL('../../../packages/migrator/src/bin.ts', import.meta.url));

/** A token long enough for the sidecar's minimum. */
export const TEST_TOKEN = 'reliability-token-0123456789abcdef';

/** How to start a sidecar process. */
export interface SidecarOptions {
  /** Database file. */
  db: string;
  /** Port (default: a free one). */
  port?: number;
  /** OTLP/gRPC port (default: any free one, chosen by the sidecar). */
  grpcPort?: number;
  /** Bearer token (default {@link TEST_TOKEN}; `null` for none). */
  token?: string | null;
  /** More CLI flags, e.g. `['--memory-limit', '256MB']`. */
  args?: string[];
  /** More environment variables. */
  env?: Record<string, string>;
  /** Node flags, e.g. `['--max-old-space-size=512']`. */
  nodeArgs?: string[];
  /** How long to wait for `/readyz` to answer 200 (default 30 s). */
  readyTimeoutMs?: number;
}

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Spawns a Node CLI from its TypeScript sources (`node --conditions=source --import tsx FILE ...args`) in a
 * process group of its own (the `duckside` launcher runs the server as a child process: a crash test kills the
 * whole group). The group is killed at the latest when this process exits.
 */
export function spawnTsCli(
  file: string,
  args: readonly string[],
  options: { env?: Record<string, string>; nodeArgs?: readonly string[] } = {},
): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', ...(options.nodeArgs ?? []), file, ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'test', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const pid = child.pid;
  const forget = onExit(() => killGroup(pid, 'SIGKILL'));
  child.once('exit', () => {
    // The launcher is gone; make sure no server child outlives it.
    killGroup(pid, 'SIGKILL');
    forget();
  });
  return child;
}

/** Sends a signal to a whole process group; ignores groups that are gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * A real `duckside` process on 127.0.0.1, started from the CLI with the given flags; its output is kept for
 * diagnostics. Killed at the latest when the test process exits.
 * @example
 * const sidecar = await SidecarProcess.start({ db: join(dir, 'a.duckdb') });
 * await sidecar.stop(); // SIGTERM, then wait for the exit
 */
export class SidecarProcess {
  /** Milliseconds from spawn until `/readyz` answered 200. */
  readyMs = 0;
  /** Resolves when the process exits. */
  readonly exited: Promise<ProcessExit & { atMs: number }>;
  private readonly chunks: string[] = [];

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly token: string | null,
  ) {
    const keep = (chunk: Buffer) => {
      this.chunks.push(chunk.toString('utf8'));
      if (this.chunks.length > 4000) this.chunks.splice(0, 1000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal, atMs: performance.now() })),
    );
  }

  /** Spawns the sidecar and waits until it is ready. Rejects (with its output) if it exits or is not ready in time. */
  static async start(options: SidecarOptions): Promise<SidecarProcess> {
    const port = options.port ?? (await freePort());
    const token = options.token === undefined ? TEST_TOKEN : options.token;
    const args = [
      '--db',
      options.db,
      '--port',
      String(port),
      // A free gRPC port too: scenarios run side by side, and the default 4317 is taken by the first.
      '--grpc-port',
      String(options.grpcPort ?? 0),
      '--log-format',
      'json',
      ...(options.args ?? []),
    ];
    if (token !== null) args.push('--token', token);
    const started = performance.now();
    const child = spawnTsCli(SIDECAR_BIN, args, { env: options.env, nodeArgs: options.nodeArgs });
    const sidecar = new SidecarProcess(child, port, token);
    await sidecar.waitReady(options.readyTimeoutMs ?? 30_000);
    sidecar.readyMs = performance.now() - started;
    return sidecar;
  }

  /** Base URL, e.g. `http://127.0.0.1:4318`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** `127.0.0.1:<port>` of the OTLP/gRPC receiver, from its `otlp grpc listening` log line (once ready). */
  get grpcAddress(): string {
    const line = this.output()
      .split('\n')
      .find((l) => l.includes('"otlp grpc listening"'));
    const port = line ? (JSON.parse(line) as { port?: number }).port : undefined;
    if (!port) throw new Error('the sidecar has not logged its gRPC port');
    return `127.0.0.1:${port}`;
  }

  /** The Authorization header (empty when there is no token). */
  get authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string {
    return this.chunks.join('');
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal (no-op once the process has exited). */
  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** SIGKILL to the launcher and the server process at once (the whole process group), then wait for the exit. */
  async crash(): Promise<void> {
    killGroup(this.child.pid, 'SIGKILL');
    await this.exited;
  }

  /**
   * The process that serves requests: the launcher's child when `bin.ts` re-executed itself (to size the libuv
   * thread pool), else the launcher itself.
   */
  serverPid(): number {
    try {
      const children = readFileSync(`/proc/${this.pid}/task/${this.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/);
      const first = Number(children[0]);
      return first > 0 ? first : this.pid;
    } catch {
      return this.pid;
    }
  }

  /** SIGTERM and wait for the exit; returns it with the milliseconds it took. */
  async stop(): Promise<ProcessExit & { ms: number }> {
    const t0 = performance.now();
    this.kill('SIGTERM');
    const exit = await this.exited;
    return { code: exit.code, signal: exit.signal, ms: exit.atMs - t0 };
  }

  /** Resident set size of the server process in bytes now (`VmRSS`) and its peak (`VmHWM`), from `/proc`. */
  memory(): { rss: number; peakRss: number } {
    const status = readFileSync(`/proc/${this.serverPid()}/status`, 'utf8');
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kib('VmRSS'), peakRss: kib('VmHWM') };
  }

  /** Resets the server process's peak RSS (`VmHWM`) to its current RSS (Linux `clear_refs`); false if refused. */
  resetPeakRss(): boolean {
    try {
      writeFileSync(`/proc/${this.serverPid()}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  /** GET a path with the token; resolves with the status and body text. */
  async get(path: string, timeoutMs = 10_000): Promise<{ status: number; text: string; ms: number }> {
    const res = await send(`${this.url}${path}`, { headers: this.authHeaders, timeoutMs });
    return { status: res.status, text: res.body.toString('utf8'), ms: res.ms };
  }

  /** Reads one sample of a Prometheus metric from `/metrics` (the sum over label sets when `labels` is omitted). */
  async metric(name: string, labels?: Record<string, string>): Promise<number | undefined> {
    const { status, text } = await this.get('/metrics');
    if (status !== 200) return undefined;
    let total: number | undefined;
    for (const line of text.split('\n')) {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
      if (!m || m[1] !== name) continue;
      if (labels && !Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) continue;
      total = (total ?? 0) + Number(m[3]);
    }
    return total;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let exited = false;
    void this.exited.then(() => {
      exited = true;
    });
    while (performance.now() < deadline) {
      if (exited) break;
      try {
        const res = await send(`${this.url}/readyz`, { headers: this.authHeaders, timeoutMs: 2000 });
        if (res.status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    killGroup(this.child.pid, 'SIGKILL');
    const exit = await this.exited;
    throw new Error(
      `the sidecar was not ready within ${timeoutMs} ms (exit ${exit.code ?? exit.signal}); output:\n${this.output().slice(-4000)}`,
    );
  }
}
