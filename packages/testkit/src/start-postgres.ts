import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { TestkitError } from './errors.ts';
import { onExit } from './exit-cleanup.ts';
import { freePort } from './free-port.ts';
import { tempDir } from './temp-dir.ts';

/** How to start a throwaway cluster. */
export interface PostgresOptions {
  /** Extra server settings, passed as `-c name=value` (e.g. `{ work_mem: '64MB' }`). */
  settings?: Record<string, string | number | boolean>;
  /**
   * Keep crash safety on. Off by default: `fsync`, `synchronous_commit` and `full_page_writes` are disabled,
   * which makes loading test data several times faster and is fine for a cluster that is thrown away.
   */
  durable?: boolean;
  /** Folder of `initdb`/`pg_ctl` (default: `$PG_BIN`, then `PATH`, then the newest `/usr/lib/postgresql/N/bin`). */
  binDir?: string;
  /** How long to wait for the server to accept connections (default 60 s). */
  startTimeoutMs?: number;
}

/** A running throwaway PostgreSQL cluster. */
export interface PostgresServer extends AsyncDisposable {
  /** Connection URL of the superuser `postgres` on database `postgres`, e.g. `postgres://postgres@127.0.0.1:54321/postgres`. */
  readonly url: string;
  /** TCP port on 127.0.0.1. */
  readonly port: number;
  /** The cluster's data folder (inside a temporary folder that also holds the log and the socket). */
  readonly dataDir: string;
  /** Path of the server log. */
  readonly logFile: string;
  /** Stops the server (fast shutdown) and deletes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

const START_ATTEMPTS = 3;

/**
 * Starts a throwaway PostgreSQL cluster with `initdb` and `pg_ctl` on a free loopback port in a temporary folder.
 * Trust authentication, superuser `postgres`, UTF-8, locale C. When the process runs as root the cluster runs as
 * the `postgres` OS user (`runuser -u postgres --`), because PostgreSQL refuses to run as root.
 * The cluster is stopped by `stop()`, by `await using`, when this process exits, and, if this process is killed
 * with SIGKILL, by a small watchdog within about a second.
 * @example
 * await using pg = await startPostgres();
 * const client = new pg.Client({ connectionString: pg.url });
 */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = findBinDir(options.binDir);
  const asUser = runAsPrefix();
  const root = await tempDir('duckside-pg-');
  const dataDir = join(root.path, 'data');
  const logFile = join(root.path, 'postgres.log');
  try {
    if (asUser.length > 0) chownToPostgres(root.path);
    await run(
      [
        ...asUser,
        join(bin, 'initdb'),
        '-D',
        dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
      ],
      'postgres_start',
      'initdb failed',
    );
  } catch (error) {
    await root.remove();
    throw error;
  }
  const pgCtl = [...asUser, join(bin, 'pg_ctl'), '-D', dataDir];
  const stopSync = () => {
    spawnSync(pgCtl[0] as string, [...pgCtl.slice(1), '-m', 'immediate', '-w', 'stop'], { stdio: 'ignore' });
  };
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const serverArgs = [`-p ${port}`, `-k ${quote(root.path)}`, ...settingArgs(options)].join(' ');
    try {
      await run(
        [
          ...pgCtl,
          '-l',
          logFile,
          '-w',
          '-t',
          String(Math.ceil((options.startTimeoutMs ?? 60_000) / 1000)),
          '-o',
          serverArgs,
          'start',
        ],
        'postgres_start',
        'pg_ctl start failed',
        logFile,
      );
    } catch (error) {
      lastError = error;
      stopSync();
      continue;
    }
    return running({ port, dataDir, logFile, root: root.path, pgCtl, removeRoot: root.remove, stopSync });
  }
  await root.remove();
  throw lastError;
}

interface RunningParts {
  port: number;
  dataDir: string;
  logFile: string;
  root: string;
  pgCtl: string[];
  removeRoot: () => Promise<void>;
  stopSync: () => void;
}

function running(p: RunningParts): PostgresServer {
  const watchdog = startWatchdog(p.pgCtl, p.root);
  const forget = onExit(() => {
    p.stopSync();
    killQuietly(watchdog);
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      try {
        await run([...p.pgCtl, '-m', 'fast', '-w', 'stop'], 'postgres_stop', 'pg_ctl stop failed', p.logFile);
      } finally {
        forget();
        killQuietly(watchdog);
        await p.removeRoot();
      }
    })();
    return stopping;
  };
  return {
    url: `postgres://postgres@127.0.0.1:${p.port}/postgres`,
    port: p.port,
    dataDir: p.dataDir,
    logFile: p.logFile,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function settingArgs(options: PostgresOptions): string[] {
  const settings: Record<string, string | number | boolean> = {
    listen_addresses: '127.0.0.1',
    ...(options.durable ? {} : { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' }),
    ...options.settings,
  };
  return Object.entries(settings).map(([k, v]) => `-c ${quote(`${k}=${String(v)}`)}`);
}

/** A detached shell that stops the cluster and deletes its folder once this process is gone (even after SIGKILL). */
function startWatchdog(pgCtl: string[], root: string): ChildProcess {
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
    `${pgCtl.map(quote).join(' ')} -m immediate -w stop >/dev/null 2>&1`,
    `rm -rf ${quote(root)}`,
  ].join('\n');
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  return child;
}

function killQuietly(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function runAsPrefix(): string[] {
  return process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
}

function chownToPostgres(path: string): void {
  const id = (flag: string) =>
    Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!Number.isInteger(uid) || uid <= 0) {
    throw new TestkitError(
      'postgres_start',
      'running as root needs an OS user named postgres to run the cluster',
    );
  }
  chownSync(path, uid, gid);
}

function findBinDir(explicit: string | undefined): string {
  const candidates = [
    explicit,
    process.env.PG_BIN,
    ...(process.env.PATH ?? '').split(delimiter),
    ...debianBinDirs(),
  ];
  for (const dir of candidates) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  throw new TestkitError(
    'postgres_not_found',
    'initdb and pg_ctl were not found (set PG_BIN or install PostgreSQL)',
  );
}

function debianBinDirs(): string[] {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(base, v, 'bin'));
}

function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function run(
  command: string[],
  code: 'postgres_start' | 'postgres_stop',
  message: string,
  log?: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.once('error', (error) =>
      reject(new TestkitError(code, `${message}: ${error.message}`, { cause: error })),
    );
    child.once('close', (status) => {
      if (status === 0) return resolve();
      const logText = log && existsSync(log) ? readFileSync(log, 'utf8').slice(-4000) : '';
      const details = `${output}\n${logText}`.trim();
      reject(new TestkitError(code, `${message} (exit ${status}): ${lastLine(details)}`, { details }));
    });
  });
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}
