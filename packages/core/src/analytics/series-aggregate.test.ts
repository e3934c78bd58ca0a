import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketStart } from '../../test/support/bucket-start.ts';
import { expectImmutable } from '../../test/support/builder-checks.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { rounded } from '../../test/support/rounded.ts';
import { type TestPoint, writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import type { BucketWindow } from './bucket-window.ts';
import type { GapFill } from './gap-fill.ts';
import { aggregateSeries } from './series-aggregate.ts';

const T0 = Date.UTC(2024, 0, 2, 9, 0, 0);
const MIN = 60_000;
const MS = 1_000_000n;

/** Points of `px` by symbol at minute offsets (two points in some minutes). */
const POINTS: Record<string, [number, number][]> = {
  A: [
    [2.2, 10],
    [2.7, 14],
    [3.1, 9],
    [6.5, 20],
    [9.9, 5],
  ],
  B: [
    [1.0, 100],
    [7.3, 70],
  ],
};
const points: TestPoint[] = Object.entries(POINTS).flatMap(([symbol, list]) =>
  list.map(([minute, value]) => ({
    name: 'px',
    time: BigInt(Math.round(T0 + minute * MIN)) * MS,
    value,
    symbol,
  })),
);

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await writePoints(db, points);
});
afterAll(() => db.close());

interface Row {
  bucket: number;
  group: string | null;
  value: number | null;
  samples: number;
  filled: boolean;
}

/** Reference: 1-minute avg buckets of [bucket(from), to) per group, filled as docs/analytics.md says. */
function reference(from: number, to: number, fill: GapFill, grouped: boolean): Row[] {
  const inRange = points.filter((p) => Number(p.time / MS) >= from && Number(p.time / MS) < to);
  const groups = grouped ? [...new Set(inRange.map((p) => p.symbol as string))].sort() : [null];
  const out: Row[] = [];
  const buckets: number[] = [];
  for (let b = bucketStart(from, MIN); b < to; b += MIN) buckets.push(b);
  for (const group of groups) {
    const rows = buckets.map((bucket) => {
      const own = inRange.filter(
        (p) => (group === null || p.symbol === group) && bucketStart(Number(p.time / MS), MIN) === bucket,
      );
      const value = own.length ? own.reduce((a, p) => a + p.value, 0) / own.length : null;
      return { bucket, group, value, samples: own.length, filled: own.length === 0 };
    });
    const known = rows.filter((r) => r.value !== null);
    for (const r of rows) {
      if (r.value !== null) continue;
      const before = known.filter((k) => k.bucket < r.bucket).at(-1);
      const after = known.find((k) => k.bucket > r.bucket);
      if (typeof fill === 'number') r.value = fill;
      else if (fill === 'prev') r.value = before?.value ?? null;
      else if (fill === 'linear' && before && after) {
        r.value =
          (before.value as number) +
          (((after.value as number) - (before.value as number)) * (r.bucket - before.bucket)) /
            (after.bucket - before.bucket);
      }
    }
    out.push(...(fill === 'none' ? rows.filter((r) => !r.filled) : rows));
  }
  return out.sort((a, b) => a.bucket - b.bucket || String(a.group).localeCompare(String(b.group)));
}

async function run(from: number, to: number, fill: GapFill, grouped: boolean, window?: BucketWindow) {
  let q = aggregateSeries('px').between(from, to).fill(fill);
  if (grouped) q = q.groupBy({ by: 'symbol' });
  if (window) q = q.window(window);
  const { rows } = await db.execute(q);
  return rows;
}

const MODES: GapFill[] = ['none', 'null', 'prev', 'linear', -1.5];
const RANGES: [string, number, number][] = [
  ['the whole series, starting mid-bucket', T0 + 30_000, T0 + 11 * MIN],
  ['edges cutting into the data (leading and trailing gaps)', T0 + 3 * MIN, T0 + 9 * MIN],
  ['one point', T0 + 6 * MIN, T0 + 7 * MIN],
  ['one bucket without data', T0 + 4 * MIN, T0 + 5 * MIN],
  ['empty (no data at all)', T0 + 60 * MIN, T0 + 70 * MIN],
  ['zero length', T0 + 5 * MIN, T0 + 5 * MIN],
];

describe('aggregateSeries gap filling', () => {
  for (const [label, from, to] of RANGES) {
    for (const grouped of [false, true]) {
      it(`${label}, ${grouped ? 'by symbol' : 'ungrouped'}: every mode`, async () => {
        for (const fill of MODES) {
          const rows = await run(from, to, fill, grouped);
          const got = rows.map((r) => ({
            bucket: r.bucket.getTime(),
            group: r.group,
            value: r.value,
            samples: r.samples,
            filled: r.filled,
          }));
          expect(rounded(got), `fill ${fill}`).toEqual(rounded(reference(from, to, fill, grouped)));
        }
      });
    }
  }

  it('an empty ungrouped range has every bucket; a grouped one has none', async () => {
    expect(await run(T0 + 60 * MIN, T0 + 63 * MIN, 'null', false)).toHaveLength(3);
    expect(await run(T0 + 60 * MIN, T0 + 63 * MIN, 'null', true)).toHaveLength(0);
  });

  it('needs both ends of the range unless the mode is none', async () => {
    await errorOf(ValidationError, () => aggregateSeries('px').fill('prev').between(T0, undefined).compile());
    expect(aggregateSeries('px').fill('none').compile().sql).toContain('false AS filled');
    await errorOf(ValidationError, () => aggregateSeries('px').fill('previous'));
    expect(
      aggregateSeries('px')
        .fill('2.5')
        .between(T0, T0 + MIN)
        .compile().params,
    ).toContain(2.5);
  });
});

/** Reference windows over a group's rows in bucket order. */
function windowed(values: (number | null)[], window: BucketWindow): (number | null)[] {
  let sum: number | null = null;
  let peak = Number.NEGATIVE_INFINITY;
  return values.map((v, i) => {
    if (window.kind === 'moving_avg') {
      const last = values
        .slice(Math.max(0, i - window.buckets + 1), i + 1)
        .filter((x): x is number => x !== null);
      return last.length ? last.reduce((a, b) => a + b, 0) / last.length : null;
    }
    if (v !== null) sum = (sum ?? 0) + v;
    if (window.kind === 'cumsum') return sum;
    const x = window.cumulative ? sum : v;
    if (x === null) return null;
    peak = Math.max(peak, x);
    return x - peak;
  });
}

describe('aggregateSeries windows', () => {
  const WINDOWS: BucketWindow[] = [
    { kind: 'moving_avg', buckets: 3 },
    { kind: 'moving_avg', buckets: 1 },
    { kind: 'cumsum' },
    { kind: 'drawdown' },
    { kind: 'drawdown', cumulative: true },
  ];
  for (const window of WINDOWS) {
    it(`${JSON.stringify(window)} per group over filled and unfilled buckets`, async () => {
      for (const fill of ['none', 'null', 'prev'] as GapFill[]) {
        const rows = await run(T0, T0 + 11 * MIN, fill, true, window);
        const want = reference(T0, T0 + 11 * MIN, fill, true);
        for (const group of ['A', 'B']) {
          const own = want.filter((r) => r.group === group);
          const got = rows.filter((r) => r.group === group).map((r) => r.windowed);
          expect(rounded(got), `fill ${fill}, ${group}`).toEqual(
            rounded(
              windowed(
                own.map((r) => r.value),
                window,
              ),
            ),
          );
        }
      }
    });
  }

  it('without a window the column is null; bad windows are refused', async () => {
    const rows = await run(T0, T0 + 5 * MIN, 'null', false);
    expect(rows.every((r) => r.windowed === null)).toBe(true);
    await errorOf(ValidationError, () => aggregateSeries('px').window({ kind: 'moving_avg', buckets: 0 }));
    await errorOf(ValidationError, () => aggregateSeries('px').window({ kind: 'ema' } as never));
  });

  it('is immutable and keeps the aggregate setters', () => {
    expectImmutable(aggregateSeries('px').between(T0, T0 + MIN), [
      (b) => b.fill('prev'),
      (b) => b.window({ kind: 'cumsum' }),
      (b) => b.fn('max'),
      (b) => b.interval('5m'),
      (b) => b.symbol('A'),
    ]);
  });
});
