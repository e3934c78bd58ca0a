import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startPostgres } from '../src/index.ts';

const fixture = fileURLToPath(new URL('./fixtures/hold-postgres.ts', import.meta.url));

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('startPostgres', () => {
  it('starts a cluster that accepts SQL on its port and removes everything on stop', async () => {
    const server = await startPostgres({ settings: { work_mem: '8MB' } });
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ user: string; work_mem: string; fsync: string }>(
        `SELECT current_user AS user, current_setting('work_mem') AS work_mem, current_setting('fsync') AS fsync`,
      );
      expect(rows[0]).toEqual({ user: 'postgres', work_mem: '8MB', fsync: 'off' });
    } finally {
      await client.end();
    }
    expect(existsSync(server.dataDir)).toBe(true);
    await server.stop();
    await server.stop();
    expect(existsSync(server.dataDir)).toBe(false);
    expect(await portOpen(server.port)).toBe(false);
  });

  it('runs two clusters side by side on different ports', async () => {
    await using a = await startPostgres();
    await using b = await startPostgres();
    expect(a.port).not.toBe(b.port);
    expect(await portOpen(a.port)).toBe(true);
    expect(await portOpen(b.port)).toBe(true);
  });

  it('stops the cluster when its owner process is killed with SIGKILL', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('\n')) resolve(text.split('\n')[0] as string);
      });
      child.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
    });
    const info = JSON.parse(line) as { port: number; dataDir: string };
    expect(await portOpen(info.port)).toBe(true);
    child.kill('SIGKILL');
    expect(await waitFor(async () => !(await portOpen(info.port)) && !existsSync(info.dataDir), 15_000)).toBe(
      true,
    );
  });
});
