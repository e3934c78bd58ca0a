import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { at, historyArbitrary, STREAM_BASE_MS, writeHistory } from '../../test/support/rollup-streams.ts';
import { writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import type { Aggregation } from '../query/aggregations.ts';
import { candles } from '../query/candle-query.ts';
import { histogramQuantiles } from '../query/histogram-quantile.ts';
import { aggregateMetrics } from '../query/metric-aggregate.ts';
import { selectMetrics } from '../query/metric-select.ts';
import { DEFAULT_ROLLUP_LEVELS } from './rollup-levels.ts';

const H = 3_600_000;
const FNS: Aggregation[] = ['avg', 'sum', 'min', 'max', 'count', 'first', 'last', 'rate', 'increase'];
/** Hour-aligned ranges (and open ends): what rollups answer without raw edges. */
const RANGES = [{ from: 0, to: 6 * H }, { from: H, to: 4 * H }, { to: 5 * H }, { from: 2 * H }, {}];

let db: Database | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

type Range = { from?: number; to?: number };
const between = <B extends { between(from?: string, to?: string): B }>(b: B, r: Range) =>
  b.between(r.from === undefined ? undefined : at(r.from), r.to === undefined ? undefined : at(r.to));

/** Every rollup-answered query of the test, with its answer. */
async function answers(database: Database): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const r of RANGES) {
    for (const interval of ['5m', '1h']) {
      for (const fn of FNS) {
        const q = await database.execute(between(aggregateMetrics('m').fn(fn).interval(interval), r));
        expect(q.source).toMatch(/^rollup:1[mh]$/);
        out.push(q.rows);
      }
      out.push((await database.execute(between(candles('A').fromTrades().interval(interval), r))).rows);
      // Quantile rows of two sets of bounds tie on (bucket, group, quantile): compare them in a stable order.
      const quantiles = (await database.execute(between(histogramQuantiles('h').interval(interval), r))).rows;
      out.push(quantiles.map((row) => JSON.stringify(row)).sort());
    }
  }
  return out;
}

describe('downsampling retention', () => {
  it('removes raw rows before the horizon and leaves every rollup answer as it was, late points included', async () => {
    await fc.assert(
      fc.asyncProperty(historyArbitrary(150), fc.integer({ min: 1, max: 5 }), async (history, hours) => {
        db = await Database.open({
          path: ':memory:',
          rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
        });
        await writeHistory(db, history);
        await db.catchUpRollups();
        const before = await answers(db);
        const now = STREAM_BASE_MS + 10 * H;
        // The cutoff (now - age) rounds down to the hour: raw rows before base + `hours` go.
        const report = await db.downsample({ rawMaxAgeMs: 10 * H - hours * H - 1234, now });
        expect(report.rawHorizonMs).toBe(STREAM_BASE_MS + hours * H);
        const [left] = await db.all<{ n: number }>({
          sql: `SELECT count(*) AS n FROM metric_points WHERE ts < ?::TIMESTAMP`,
          params: [
            at(hours * H)
              .replace('T', ' ')
              .replace('Z', ''),
          ],
        });
        expect(left?.n).toBe(0);
        expect(await answers(db)).toEqual(before);
        // A late point before the horizon, in a bucket its stream has a rollup for, is kept raw only: never
        // re-aggregated over the removed rows.
        const horizon = BigInt(STREAM_BASE_MS + hours * H) * 1_000_000n;
        const settled = history.flatMap((w) => w.points).find((p) => p.time < horizon);
        if (settled) {
          await writePoints(db, [{ ...settled, time: settled.time + 1000n, value: settled.value + 7 }]);
          await db.catchUpRollups();
          expect(await answers(db)).toEqual(before);
        }
        await db.close();
        db = undefined;
      }),
      { numRuns: 4, endOnFailure: true },
    );
  }, 240_000);

  it('removes rollup rows past their level keep-for, and series rows no point refers to (written again on reuse)', async () => {
    db = await Database.open({
      path: ':memory:',
      rollups: { levels: DEFAULT_ROLLUP_LEVELS, maintainEveryMs: 0 },
    });
    const old = { name: 'old', symbol: 'X', time: BigInt(STREAM_BASE_MS + 60_000) * 1_000_000n, value: 3 };
    await writePoints(db, [old, { ...old, name: 'kept', time: BigInt(STREAM_BASE_MS + 5 * H) * 1_000_000n }]);
    await db.catchUpRollups();
    const now = STREAM_BASE_MS + 10 * H;
    const report = await db.downsample({ rawMaxAgeMs: 8 * H, levelMaxAgeMs: { '1m': 7 * H }, now });
    expect(report.deleted.metric_points).toBe(1);
    expect(report.deleted['rollup_metrics:1m']).toBe(1);
    expect(report.deleted['rollup_metrics:1h']).toBeUndefined();
    expect(report.series).toBe(1);
    const series = await db.all<{ name: string }>({
      sql: 'SELECT name FROM metric_series ORDER BY name',
      params: [],
    });
    expect(series.map((s) => s.name)).toEqual(['kept']);
    // The hourly rollup of the removed series still answers.
    const hourly = await db.execute(
      aggregateMetrics('old')
        .fn('sum')
        .interval('1h')
        .between(at(0), at(6 * H)),
    );
    expect(hourly).toMatchObject({ source: 'rollup:1h', rows: [{ value: 3, samples: 1 }] });
    // History written after the fact into buckets no rollup holds is rolled up, though before the horizon.
    await writePoints(db, [
      { ...old, name: 'imported', time: BigInt(STREAM_BASE_MS + 30 * 60_000) * 1_000_000n },
    ]);
    await db.catchUpRollups();
    const imported = await db.execute(
      aggregateMetrics('imported').fn('count').interval('1h').between(at(0), at(H)),
    );
    expect(imported.rows).toEqual([{ bucket: new Date(STREAM_BASE_MS), group: null, value: 1, samples: 1 }]);
    // A point of the removed series brings its series row back.
    await writePoints(db, [{ ...old, time: BigInt(STREAM_BASE_MS + 9 * H) * 1_000_000n }]);
    const { rows } = await db.execute(selectMetrics().name('old'));
    expect(rows).toHaveLength(1);
  });
});
