import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiled, Database } from '@duckside/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type CliProcess, killAllSpawned, spawnCli } from './helpers/spawn-cli.ts';

const root = mkdtempSync(join(tmpdir(), 'duckside-lifecycle-'));
const serverPids: number[] = [];
let n = 0;
const newDb = () => {
  const dir = join(root, `case-${++n}`);
  mkdirSync(dir);
  return join(dir, 'life.duckdb');
};

afterEach(() => killAllSpawned(serverPids));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function started(p: CliProcess) {
  const info = await p.listening();
  serverPids.push(info.pid);
  return info;
}

const trades = (batch: number, rows: number) =>
  Array.from({ length: rows }, (_, i) => ({
    timestamp: 1_709_294_400_000 + batch * 1000 + i,
    symbol: 'BTC/USD',
    venue: 'kraken',
    side: 'buy',
    quantity: 1,
    price: 100 + i,
    tradeId: `b${batch}-r${i}`,
  }));

async function storedTradeIds(path: string): Promise<Set<string>> {
  const db = await Database.open({ path });
  try {
    const rows = await db.all(compiled<{ trade_id: string }>('SELECT trade_id FROM trading_trades', []));
    return new Set(rows.map((r) => r.trade_id));
  } finally {
    await db.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('graceful shutdown', () => {
  it('on SIGTERM finishes requests in flight, stores every acknowledged row and exits 0 within 10 s', async () => {
    const path = newDb();
    const p = spawnCli([
      '--db',
      path,
      '--port',
      '0',
      '--enable-fault-injection',
      '--faults',
      'ingest-delay:400',
    ]);
    const { url } = await started(p);
    const acked: string[] = [];
    const sent: string[] = [];
    const outcomes: string[] = [];
    const send = async (batch: number) => {
      const rows = trades(batch, 25);
      sent.push(...rows.map((r) => r.tradeId));
      try {
        const res = await fetch(`${url}/api/v1/trades`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(rows),
        });
        const body = (await res.json()) as { stored?: number };
        outcomes.push(String(res.status));
        if (res.status === 200) {
          expect(body.stored).toBe(rows.length);
          acked.push(...rows.map((r) => r.tradeId));
        }
      } catch {
        outcomes.push('connection refused or reset');
      }
    };
    const inFlight = Array.from({ length: 8 }, (_, i) => send(i));
    await new Promise((r) => setTimeout(r, 150));
    const signalled = performance.now();
    p.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    const late = Array.from({ length: 4 }, (_, i) => send(100 + i));
    await Promise.all([...inFlight, ...late]);
    const exit = await p.exited;

    expect(exit.code, p.output()).toBe(0);
    expect(performance.now() - signalled).toBeLessThan(10_000);
    expect(outcomes.filter((o) => o === '200').length, outcomes.join()).toBeGreaterThanOrEqual(8);
    expect(acked.length).toBeGreaterThanOrEqual(8 * 25);
    const stored = await storedTradeIds(path);
    for (const id of acked) expect(stored.has(id), id).toBe(true);
    for (const id of stored) expect(sent.includes(id), id).toBe(true);
    expect(existsSync(`${path}.wal`)).toBe(false);
    const messages = p.logs().map((l) => l.msg);
    expect(messages).toContain('shutting down');
    expect(messages).toContain('stopped');
  });

  it('a second instance on the same file exits non-zero within 2 s naming the lock holder', async () => {
    const path = newDb();
    const first = spawnCli(['--db', path, '--port', '0']);
    const { pid } = await started(first);
    // What starting Node, tsx and the CLI's modules costs on this machine right now (the same module graph, no
    // database): on a loaded CI machine this alone can pass 2 s, so the bound allows for it.
    const baseline = await spawnCli(['--version'], { UV_THREADPOOL_SIZE: '16' }).exited;
    const second = spawnCli(['--db', path, '--port', '0'], { UV_THREADPOOL_SIZE: '16' });
    const exit = await second.exited;
    expect(exit.code).toBe(1);
    expect(exit.ms, `baseline ${baseline.ms} ms`).toBeLessThan(Math.max(2000, baseline.ms + 1000));
    expect(second.output()).toContain(`is locked by another process (PID ${pid})`);
    const viaLauncher = spawnCli(['--db', path, '--port', '0']);
    expect((await viaLauncher.exited).code).toBe(1);
    first.child.kill('SIGINT');
    expect((await first.exited).code).toBe(0);
  });

  it('shuts down by itself when its launcher dies, releasing the database', async () => {
    const path = newDb();
    const p = spawnCli(['--db', path, '--port', '0']);
    const { pid } = await started(p);
    expect(pid).not.toBe(p.child.pid);
    p.child.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(pid)).toBe(false);
    const db = await Database.open({ path });
    await db.close();
  });
});

describe('crash recovery', () => {
  it('keeps acknowledged rows after a kill, and moves an unreplayable WAL aside (or fails, if so configured)', async () => {
    const path = newDb();
    const p = spawnCli(['--db', path, '--port', '0'], { UV_THREADPOOL_SIZE: '8' });
    const { url, pid } = await started(p);
    expect(pid).toBe(p.child.pid);
    const res = await fetch(`${url}/api/v1/trades`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(trades(1, 10)),
    });
    expect(res.status).toBe(200);
    p.child.kill('SIGKILL');
    await p.exited;
    expect(existsSync(`${path}.wal`)).toBe(true);

    const copies = [newDb(), newDb()];
    for (const copy of copies) {
      copyFileSync(path, copy);
      const wal = readFileSync(`${path}.wal`);
      for (let i = 100; i < wal.length; i += 37) wal[i] = (wal[i] as number) ^ 0xff;
      writeFileSync(`${copy}.wal`, wal);
    }

    const restarted = spawnCli(['--db', path, '--port', '0']);
    const again = await started(restarted);
    const listed = (await (await fetch(`${again.url}/api/v1/trades?limit=100`)).json()) as { count: number };
    expect(listed.count).toBe(10);
    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);

    const [movedAside, failing] = copies as [string, string];
    const recovered = spawnCli(['--db', movedAside, '--port', '0']);
    const info = await started(recovered);
    const error = recovered.logs().find((l) => l.level === 'error');
    expect(String(error?.msg)).toContain('write-ahead log could not be replayed');
    const folder = readdirSync(join(movedAside, '..'));
    expect(folder.some((f) => /^life\.duckdb\.wal\.corrupt-/.test(f))).toBe(true);
    const metrics = await (await fetch(`${info.url}/metrics`)).text();
    expect(metrics).toMatch(/^duckside_wal_recoveries_total 1$/m);
    const events = (await (await fetch(`${info.url}/api/v1/events?severity=critical`)).json()) as {
      data: Array<{ source: string; message: string }>;
    };
    expect(events.data).toHaveLength(1);
    expect(events.data[0]?.source).toBe('duckside');
    expect(events.data[0]?.message).toContain('could not be replayed');
    recovered.child.kill('SIGTERM');
    expect((await recovered.exited).code).toBe(0);

    const strict = spawnCli(['--db', failing, '--port', '0', '--wal-recovery', 'fail']);
    const exit = await strict.exited;
    expect(exit.code).toBe(1);
    expect(strict.output()).toContain('Failure while replaying WAL');
    expect(existsSync(`${failing}.wal`)).toBe(true);
  });
});
