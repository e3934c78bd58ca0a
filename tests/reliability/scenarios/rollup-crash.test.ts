import { join } from 'node:path';
import {
  aggregateMetrics,
  type CompiledQuery,
  candles,
  Database,
  DEFAULT_ROLLUP_LEVELS,
  type RollupPlan,
} from '@duckside/core';
import { freePort, tempDir } from '@duckside/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../src/fuzz/random.ts';
import { jsonPostLoop } from '../src/json-post-loop.ts';
import { ScenarioReport } from '../src/scenario-report.ts';
import { SidecarProcess } from '../src/sidecar-process.ts';
import { sleep } from '../src/stats.ts';

const report = new ScenarioReport('15 kill -9 during rollup maintenance');
afterAll(() => report.publish());

const HOUR = 3_600_000;

/**
 * Posts batches of trades and metric points with times scattered over the last 6 hours (late and out of order),
 * until stopped; returns the batches acknowledged.
 */
function startLoad(
  sidecar: SidecarProcess,
  rng: Random,
  base: number,
  used: Set<number>,
): { stop(): Promise<number> } {
  // Distinct microsecond times: points of one stream at the same time have no defined order, raw or rolled up.
  const at = () => {
    let us: number;
    do us = rng.int(6 * HOUR) * 1000 + rng.int(1000);
    while (used.has(us));
    used.add(us);
    const iso = new Date(base + Math.floor(us / 1000)).toISOString();
    return `${iso.slice(0, 23)}${String(us % 1000).padStart(3, '0')}Z`;
  };
  let acked = 0;
  const load = jsonPostLoop(sidecar, () => {
    const trades = Array.from({ length: 2000 }, () => ({
      timestamp: at(),
      symbol: rng.chance(0.5) ? 'BTC/USD' : 'ETH/USD',
      venue: rng.chance(0.5) ? 'kraken' : 'coinbase',
      side: 'buy',
      quantity: 1 + rng.int(8) / 4,
      price: 100 + rng.int(400) / 4,
    }));
    const metrics = Array.from({ length: 2000 }, () => ({
      name: 'orders_total',
      value: rng.int(1000),
      timestamp: at(),
      symbol: rng.chance(0.5) ? 'BTC/USD' : 'ETH/USD',
    }));
    return [
      { path: '/api/v1/trades', body: trades, acked: () => acked++ },
      { path: '/api/v1/metrics', body: metrics, acked: () => acked++ },
    ];
  });
  return {
    async stop() {
      await load.stop();
      return acked;
    },
  };
}

describe('kill -9 during rollup maintenance', () => {
  it('once restarted and caught up, rollups answer exactly what raw rows answer', async () => {
    await using dir = await tempDir('reliability-rollups-');
    const db = join(dir.path, 'rollups.duckdb');
    const port = await freePort();
    const rng = new Random(Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000));
    report.figure('random seed', rng.seed);
    const base = Math.floor((Date.now() - 6 * HOUR) / HOUR) * HOUR;
    // Maintenance every 10 ms: with late points all over six hours, a step is in flight most of the time.
    const args = ['--rollup-levels', '1m,1h', '--rollup-interval', '10ms'];
    let sidecar = await SidecarProcess.start({ db, port, args });
    report.attachLog('sidecar', () => sidecar.output());
    const kills = 4;
    let acked = 0;
    const moments: number[] = [];
    const used = new Set<number>();
    for (let round = 0; round < kills; round++) {
      const load = startLoad(sidecar, rng, base, used);
      const delay = 300 + rng.int(2500);
      await sleep(delay);
      await sidecar.crash();
      acked += await load.stop();
      moments.push(delay);
      sidecar = await SidecarProcess.start({ db, port, args });
    }
    const exit = await sidecar.stop();
    await using database = await Database.open({
      path: db,
      rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
    });
    const consumed = await database.catchUpRollups();
    // Dirty buckets and pending points: both must be consumed once caught up.
    const [dirty] = await database.all<{ n: number }>({
      sql: `SELECT (SELECT count(*) FROM rollup_dirty) + (SELECT count(*) FROM rollup_pending_metrics)
        + (SELECT count(*) FROM rollup_pending_histograms) + (SELECT count(*) FROM rollup_pending_trades) AS n`,
      params: [],
    });
    const [rolled] = await database.all<{ n: number }>({
      sql: 'SELECT count(*) AS n FROM rollup_trades',
      params: [],
    });
    const from = new Date(base).toISOString();
    const to = new Date(base + 6 * HOUR).toISOString();
    const queries: { compile(plan?: RollupPlan): CompiledQuery<unknown> }[] = [
      ...['1m', '1h'].map((i) =>
        candles('BTC/USD').fromTrades().venue('kraken').interval(i).between(from, to),
      ),
      ...['1m', '1h'].map((i) => candles().fromTrades().interval(i).between(from, to)),
      ...(['sum', 'count', 'min', 'max', 'increase'] as const).map((fn) =>
        aggregateMetrics('orders_total').fn(fn).interval('1h').groupBy({ by: 'symbol' }).between(from, to),
      ),
    ];
    let differing = 0;
    const differ: string[] = [];
    let sources = '';
    for (const q of queries) {
      const routed = await database.execute(q);
      sources += `${routed.source} `;
      const raw = await database.all(q.compile());
      const close = (a: unknown, b: unknown) => JSON.stringify(a, rounded) === JSON.stringify(b, rounded);
      if (!close(routed.rows, raw)) {
        differing++;
        differ.push(q.compile().sql.slice(0, 80));
      }
    }
    report.figure('kills (ms after start of load)', moments.join(', '));
    report.figure('batches acknowledged', acked);
    report.figure('pending and dirty rows consumed after the last restart', consumed);
    report.figure('rollup trade rows', rolled?.n ?? 0);
    report.check('pending and dirty rows left after catching up', dirty?.n ?? -1, '0', dirty?.n === 0);
    report.check('queries whose rollup answer differs from raw', differing, '0', differing === 0);
    if (differ.length > 0) report.figure('differing', differ.join(' | '));
    report.check('final SIGTERM exit code', String(exit.code), '0', exit.code === 0);
    expect(acked).toBeGreaterThan(0);
    expect(sources).toMatch(/rollup:1h/);
    expect(dirty?.n).toBe(0);
    expect(differing).toBe(0);
    expect(exit.code).toBe(0);
  });
});

/** Numbers to 9 significant digits (sums of prices add up in another order). */
function rounded(_key: string, value: unknown): unknown {
  return typeof value === 'number' ? Number(value.toPrecision(9)) : value;
}
