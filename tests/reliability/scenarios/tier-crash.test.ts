import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ColdTier, Database } from '@duckside/core';
import { freePort, tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../src/fuzz/random.ts';
import { jsonPostLoop } from '../src/json-post-loop.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { sleep } from '../src/stats.ts';

const report = new ScenarioReport('16 kill -9 during cold tier moves');
afterAll(() => report.publish());

const DAY = 86_400_000;
const KILLS = Number(process.env.RELIABILITY_TIER_KILLS ?? 8);

/**
 * Posts batches of trades with unique order ids, half of them late (times on the 12 cold days, so that every round
 * has something to move), until stopped; returns the ids acknowledged.
 */
function startLoad(sidecar: SidecarProcess, rng: Random, oldest: number, next: () => number) {
  const acked: number[] = [];
  const load = jsonPostLoop(sidecar, () => {
    const ids = Array.from({ length: 500 }, next);
    const trades = ids.map((id) => ({
      timestamp: new Date(
        rng.chance(0.5) ? oldest + rng.int(12 * DAY) : Date.now() - rng.int(3_600_000),
      ).toISOString(),
      symbol: rng.chance(0.5) ? 'BTC/USD' : 'ETH/USD',
      venue: 'kraken',
      side: 'buy',
      quantity: 1 + (id % 7),
      price: 100 + (id % 13),
      orderId: `o${id}`,
    }));
    return [{ path: '/api/v1/trades', body: trades, acked: () => acked.push(...ids) }];
  });
  return {
    async stop() {
      await load.stop();
      return acked;
    },
  };
}

describe('kill -9 during cold tier moves', () => {
  it('leaves every acknowledged row in exactly one tier, no duplicates and no orphan file', async () => {
    await using dir = await tempDir('reliability-tier-');
    const db = join(dir.path, 'tier.duckdb');
    const cold = `${db}.cold`;
    const port = await freePort();
    const rng = new Random(Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000));
    report.figure('random seed', rng.seed);
    const oldest = Math.floor((Date.now() - 14 * DAY) / DAY) * DAY;
    let id = 0;
    // Seed 12 old days (moved by the first rounds): 2,000 trades a day.
    const seed = await Database.open(db);
    for (let d = 0; d < 12; d++) {
      await seed.insertTrades(
        Array.from({ length: 2000 }, (_, i) => ({
          timestamp: oldest + d * DAY + i * 40_000,
          symbol: 'BTC/USD',
          venue: 'seed',
          side: 'sell',
          quantity: 1,
          price: 50 + (i % 10),
          orderId: `o${id++}`,
        })),
      );
    }
    await seed.close();
    const seeded = id;
    const args = ['--hot-days', '1', '--offload-interval', '20ms'];
    let sidecar = await SidecarProcess.start({ db, port, args });
    report.attachLog('sidecar', () => sidecar.output());
    const acked: number[] = [];
    const moments: number[] = [];
    let moves = 0;
    for (let k = 0; k < KILLS; k++) {
      const load = startLoad(sidecar, rng, oldest, () => id++);
      const delay = 300 + rng.int(2500);
      await sleep(delay);
      moves += (await sidecar.metric('duckside_tier_moves_total').catch(() => 0)) ?? 0;
      await sidecar.crash();
      acked.push(...(await load.stop()));
      moments.push(delay);
      sidecar = await SidecarProcess.start({ db, port, args });
    }
    await sleep(1500);
    moves += (await sidecar.metric('duckside_tier_moves_total')) ?? 0;
    const errors = (await sidecar.metric('duckside_tier_rounds_total', { outcome: 'error' })) ?? 0;
    const exit = await sidecar.stop();

    const database = await Database.open({
      path: db,
      externalAccess: false,
      allowedDirectories: [`${cold}/`],
    });
    const tier = await ColdTier.open(database, { dir: cold, hotDays: 1 });
    const stored = await database.all<{ order_id: string; n: number }>({
      sql: 'SELECT order_id, count(*)::INTEGER AS n FROM trading_trades GROUP BY 1',
      params: [],
    });
    const counts = new Map(stored.map((r) => [r.order_id, r.n]));
    const duplicates = stored.filter((r) => r.n > 1).length;
    const missing = [...Array.from({ length: seeded }, (_, i) => i), ...acked].filter(
      (i) => !counts.has(`o${i}`),
    ).length;
    const stats = await tier.stats();
    const hot = await database.withConnection(async (c) =>
      Number((await c.runAndReadAll('SELECT count(*) FROM main.trading_trades')).getRowsJS()[0]?.[0]),
    );
    const inView = stored.reduce((n, r) => n + r.n, 0);
    const recorded = await database.all<{ path: string }>({
      sql: 'SELECT path FROM duckside_cold_partitions',
      params: [],
    });
    const files = readdirSync(cold, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(cold, join(e.parentPath, e.name)));
    const orphans = files.filter((f) => !recorded.some((r) => r.path === f)).length;
    await tier.close();
    await database.close();

    report.figure('kills (ms after start of load)', moments.join(', '));
    report.figure('moves committed (seen on /metrics before each kill and at the end)', moves);
    report.figure('rounds failed (then retried)', errors);
    expect(moves).toBeGreaterThan(0);
    report.figure('trades acknowledged (plus seeded)', `${acked.length} + ${seeded}`);
    report.figure(
      'cold files / cold trades / hot trades',
      `${stats.files} / ${stats.tables.trading_trades?.rows} / ${hot}`,
    );
    report.check('acknowledged trades missing', missing, '0', missing === 0);
    report.check('trades stored twice', duplicates, '0', duplicates === 0);
    report.check(
      'hot + cold rows = rows the view answers',
      `${hot} + ${stats.tables.trading_trades?.rows}`,
      String(inView),
      hot + (stats.tables.trading_trades?.rows ?? 0) === inView,
    );
    report.check('orphan files after the tier reopened', orphans, '0', orphans === 0);
    report.check('final SIGTERM exit code', String(exit.code), '0', exit.code === 0);
    expect(acked.length).toBeGreaterThan(0);
    expect(stats.tables.trading_trades?.rows).toBeGreaterThan(0);
    expect(missing).toBe(0);
    expect(duplicates).toBe(0);
    expect(hot + (stats.tables.trading_trades?.rows ?? 0)).toBe(inView);
    expect(orphans).toBe(0);
    expect(exit.code).toBe(0);
  });
});
