import { mulberry32 } from '@duckside/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectImmutable } from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { type TestPoint, writePoints } from '../../test/support/write-points.ts';
import { encodeAttributes } from '../attributes/attributes.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { type MetricRow, selectMetrics } from './metric-select.ts';

const T0 = BigInt(Date.UTC(2024, 0, 2)) * 1_000_000n;
const rand = mulberry32(7);
const SYMBOLS = ['BTC/USD', 'ETH/USD', null] as const;
const points: TestPoint[] = Array.from({ length: 300 }, (_, i) => ({
  name: i % 4 === 0 ? 'pnl' : 'order_latency_ms',
  time: T0 + BigInt(i) * 1_000_000_000n + BigInt(Math.floor(rand() * 999_999_999)),
  value: Math.round(rand() * 10_000) / 100,
  symbol: SYMBOLS[i % 3] ?? null,
  service: i % 5 === 0 ? 'oms' : 'gateway',
  labels: { exchange: i % 2 === 0 ? 'alpaca' : 'kraken', tier: BigInt(i % 3) },
}));

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await writePoints(db, points);
});
afterAll(() => db.close());

/** The row the query should return for a seeded point. */
const rowOf = (p: TestPoint): MetricRow => ({
  ts: new Date(Number(p.time / 1_000_000n)),
  time_unix_nano: p.time,
  name: p.name,
  value: p.value,
  symbol: p.symbol ?? null,
  service: p.service ?? null,
  attributes: encodeAttributes(p.labels ?? {}),
  kind: 1,
});
const newestFirst = (a: TestPoint, b: TestPoint) => (a.time < b.time ? 1 : -1);

describe('selectMetrics', () => {
  it('compiles to frozen SQL and parameters and is immutable', () => {
    expectImmutable(selectMetrics(), [
      (b) => b.name('x'),
      (b) => b.symbol('BTC/USD'),
      (b) => b.service('oms'),
      (b) => b.label('exchange', 'alpaca'),
      (b) => b.between('2024-01-01T00:00:00Z', '2024-01-03T00:00:00Z'),
      (b) => b.order('asc'),
      (b) => b.limit(5),
    ]);
  });

  it('binds every filter value as a parameter', () => {
    const query = selectMetrics().name('pnl').symbol('BTC/USD').label('exchange', 'alpaca').compile();
    expect(query.sql).not.toMatch(/pnl|BTC|alpaca|exchange/);
    expect(query.params).toEqual(['pnl', 'BTC/USD', '/exchange', 'alpaca', 1000]);
  });

  it('filters by name and symbol, newest first, with exact nanosecond times', async () => {
    const { rows, truncated } = await db.execute(selectMetrics().name('order_latency_ms').symbol('ETH/USD'));
    const expected = points
      .filter((p) => p.name === 'order_latency_ms' && p.symbol === 'ETH/USD')
      .sort(newestFirst);
    expect(truncated).toBe(false);
    expect(rows).toEqual(expected.map(rowOf));
  });

  it('filters by service and labels (typed label values compared as text)', async () => {
    const { rows } = await db.execute(
      selectMetrics().service('gateway').label('exchange', 'kraken').label('tier', '2').order('asc'),
    );
    const expected = points.filter(
      (p) => p.service === 'gateway' && p.labels?.exchange === 'kraken' && p.labels?.tier === 2n,
    );
    expect(expected.length).toBeGreaterThan(5);
    expect(rows).toEqual(expected.sort((a, b) => (a.time < b.time ? -1 : 1)).map(rowOf));
  });

  it('selects a half-open time range [from, to)', async () => {
    const from = points[50]?.time as bigint;
    const to = points[80]?.time as bigint;
    const { rows } = await db.execute(selectMetrics().between(from, to).order('asc'));
    const expected = points.filter((p) => p.time / 1000n >= from / 1000n && p.time / 1000n < to / 1000n);
    expect(rows.map((r) => r.time_unix_nano)).toEqual(expected.map((p) => p.time));
    const open = await db.execute(selectMetrics().between(undefined, to).limit(1000));
    expect(open.rows).toHaveLength(points.filter((p) => p.time / 1000n < to / 1000n).length);
  });

  it('takes RFC 3339, unix ms and Date bounds alike', async () => {
    const ms = Number(T0 / 1_000_000n) + 100_000;
    const counts = await Promise.all(
      [ms, new Date(ms), new Date(ms).toISOString()].map(
        async (from) => (await db.execute(selectMetrics().between(from, undefined))).rows.length,
      ),
    );
    expect(counts).toEqual([200, 200, 200]);
  });

  it('parses the range once, when set: a relative time does not move between compiles', async () => {
    const before = Date.now();
    const builder = selectMetrics().between('now-1h', 'now');
    const after = Date.now();
    const first = builder.compile().params;
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(builder.compile().params).toEqual(first);
    const [from, to] = (first.slice(0, 2) as string[]).map((text) =>
      Date.parse(`${text.replace(' ', 'T')}Z`),
    );
    expect(to).toBeGreaterThanOrEqual(before);
    expect(to).toBeLessThanOrEqual(after);
    // Each end reads the clock when parsed: the clock may tick between them.
    expect((to as number) - (from as number)).toBeGreaterThanOrEqual(3_600_000);
    expect((to as number) - (from as number)).toBeLessThanOrEqual(3_600_000 + after - before);
  });

  it('limits rows', async () => {
    const { rows } = await db.execute(selectMetrics().name('pnl').order('asc').limit(7));
    expect(rows).toEqual(
      points
        .filter((p) => p.name === 'pnl')
        .slice(0, 7)
        .map(rowOf),
    );
  });

  it.each([
    ['a zero limit', () => selectMetrics().limit(0), 'limit'],
    ['a fractional limit', () => selectMetrics().limit(1.5), 'limit'],
    ['a huge limit', () => selectMetrics().limit(2_000_000), 'limit'],
    ['an empty name', () => selectMetrics().name(''), 'name'],
    ['a symbol with NUL', () => selectMetrics().symbol('a\u0000'), 'symbol'],
    ['an empty label key', () => selectMetrics().label('', 'x'), 'label'],
    ['a long label value', () => selectMetrics().label('k', 'v'.repeat(4097)), 'label.k'],
    ['from after to', () => selectMetrics().between('2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z'), 'from'],
    ['a bad time', () => selectMetrics().between('yesterday', undefined), 'from'],
  ])('rejects %s naming the field', async (_what, build, field) => {
    expect((await errorOf(ValidationError, build)).field).toBe(field);
  });
});
