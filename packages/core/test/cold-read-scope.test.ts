import { describe, expect, it } from 'vitest';
import {
  aggregateMetrics,
  ColdTier,
  candles,
  Database,
  selectEvents,
  selectMetrics,
  selectTrades,
  TimeInterval,
} from '../src/index.ts';
import { ColdReadScope } from '../src/tiering/cold-read-scope.ts';
import { livePartitions } from '../src/tiering/move-day.ts';
import { readScoped } from '../src/tiering/read-scope.ts';
import { tempDirectory } from './support/temp-directory.ts';
import { TIER_T0, writeTierData } from './support/tier-data.ts';

const dir = tempDirectory();
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Ranged answers of every builder: one cold day, a range across two cold days, and one across cold and hot. */
async function rangedAnswers(db: Database): Promise<Record<string, unknown>> {
  const ranges = {
    day: [TIER_T0 + 2 * DAY, TIER_T0 + 3 * DAY],
    across: [TIER_T0 + DAY + 20 * HOUR, TIER_T0 + 2 * DAY + 3 * HOUR],
    coldAndHot: [TIER_T0 + 3 * DAY + 12 * HOUR, TIER_T0 + 5 * DAY],
  } as const;
  const out: Record<string, unknown> = {};
  for (const [name, [from, to]] of Object.entries(ranges)) {
    out[`${name}.select`] = (
      await db.execute(selectMetrics().name('latency_ms').between(from, to).limit(10_000))
    ).rows;
    out[`${name}.aggregate`] = (
      await db.execute(
        aggregateMetrics('queue_depth')
          .symbol('ETH/USD')
          .between(from, to)
          .interval(TimeInterval.Minute)
          .fn('avg'),
      )
    ).rows;
    out[`${name}.candles`] = (
      await db.execute(candles('BTC/USD').interval(TimeInterval.Hour).fromTrades().between(from, to))
    ).rows;
    out[`${name}.stored candles`] = (
      await db.execute(candles('BTC/USD').interval(TimeInterval.Hour).between(from, to))
    ).rows;
    out[`${name}.trades`] = (await db.execute(selectTrades().between(from, to).limit(10_000))).rows;
    out[`${name}.events`] = (await db.execute(selectEvents().between(from, to).limit(10_000))).rows;
  }
  return out;
}

/** A database allowed to use its cold folder, with `days` days of every kind of data. */
async function openWithData(name: string, days: number): Promise<{ db: Database; cold: string }> {
  const cold = dir.path(`${name}.cold`);
  const db = await Database.open({
    path: dir.path(`${name}.duckdb`),
    externalAccess: false,
    allowedDirectories: [`${cold}/`],
  });
  await writeTierData(db, days);
  return { db, cold };
}

describe('the read scope of the cold tier', () => {
  it('answers ranged queries of every builder as the fully hot database did', async () => {
    const { db, cold } = await openWithData('ranged', 6);
    const searchPath = () =>
      db.withConnection(async (c) =>
        String((await c.runAndReadAll(`SELECT current_setting('search_path') AS p`)).getRowObjectsJS()[0]?.p),
      );
    const pathBefore = await searchPath();
    const before = await rangedAnswers(db);
    expect(Object.values(before).every((rows) => (rows as unknown[]).length > 0)).toBe(true);
    const tier = await ColdTier.open(db, { dir: cold, hotDays: 2 });
    expect((await tier.offload(TIER_T0 + 5 * DAY + HOUR)).moved.length).toBeGreaterThan(0);
    expect(await rangedAnswers(db)).toEqual(before);
    // Narrowed or not, no statement leaves a pooled connection on the tier's schema (writers would use its views).
    const paths = await Promise.all(Array.from({ length: 4 }, searchPath));
    expect(paths).toEqual(Array.from({ length: 4 }, () => pathBefore));
    await db.close();
  });

  it('names only the files of the days a statement touches, and reruns it unnarrowed when the files changed', async () => {
    const { db, cold } = await openWithData('narrow', 5);
    const tier = await ColdTier.open(db, { dir: cold, hotDays: 0 });
    await tier.offload(TIER_T0 + 5 * DAY);
    const scope = new ColdReadScope(cold, await db.withConnection(livePartitions));
    const query = aggregateMetrics('latency_ms')
      .between(TIER_T0 + 2 * DAY, TIER_T0 + 3 * DAY)
      .interval(TimeInterval.Hour)
      .fn('avg')
      .compile();
    const narrowed = scope.rewrite(query.sql, query.params) ?? '';
    expect([...narrowed.matchAll(/read_parquet\(\[([^\]]*)\]/g)].map((m) => m[1])).toEqual([
      `'${cold}/trading_metrics/date=2024-01-03/part-0.parquet'`,
    ]);
    // Two days: one reader (bound once) of both days' files.
    const twoDays = selectTrades()
      .between(TIER_T0 + DAY + 12 * HOUR, TIER_T0 + 3 * DAY)
      .limit(10)
      .compile();
    const both = scope.rewrite(twoDays.sql, twoDays.params) ?? '';
    expect([...both.matchAll(/read_parquet\(\[([^\]]*)\]/g)].map((m) => m[1])).toEqual([
      `'${cold}/trading_trades/date=2024-01-02/part-0.parquet', '${cold}/trading_trades/date=2024-01-03/part-0.parquet'`,
    ]);
    expect(scope.rewrite('SELECT count(*) FROM trading_metrics', [])).toBeUndefined();
    const ran: string[] = [];
    const answer = await readScoped(scope, query.sql, query.params, async (text) => {
      ran.push(text);
      if (ran.length === 1) scope.changing();
      return ran.length;
    });
    expect(ran).toEqual([narrowed, query.sql]);
    expect(answer).toBe(2);
    // While a change commits nothing is narrowed; once it is over, statements are narrowed again.
    const during: string[] = [];
    await readScoped(scope, query.sql, query.params, async (text) => during.push(text));
    scope.changed(await db.withConnection(livePartitions));
    await readScoped(scope, query.sql, query.params, async (text) => during.push(text));
    expect(during).toEqual([query.sql, narrowed]);
    await tier.close();
    await db.close();
  });
});
