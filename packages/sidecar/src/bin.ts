#!/usr/bin/env node
/**
 * The `duckside` executable. DuckDB's async calls, zlib and fs share libuv's thread pool, which must be larger
 * than the default 4 threads. Node sizes the pool from `UV_THREADPOOL_SIZE` once, before an ES module entry point
 * like this one runs, so setting the variable here is too late: when it is unset, this launcher starts the CLI
 * again as a child process with `UV_THREADPOOL_SIZE=16`, forwards SIGTERM/SIGINT/SIGHUP to it and exits with its
 * code. When it is set, the CLI runs in this process.
 */
import { spawn } from 'node:child_process';

const DEFAULT_THREADPOOL_SIZE = '16';

if (process.env.UV_THREADPOOL_SIZE) {
  const { main } = await import('./cli.ts');
  process.exit(await main(process.argv.slice(2), process.env));
} else {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    env: { ...process.env, UV_THREADPOOL_SIZE: DEFAULT_THREADPOOL_SIZE },
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (error) => {
    process.stderr.write(`duckside: cannot start the server process: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal === 'SIGINT' ? 130 : 143));
  });
}
