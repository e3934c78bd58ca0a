import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketStart } from '../../test/support/bucket-start.ts';
import { errorOf } from '../../test/support/error-of.ts';
import { rounded } from '../../test/support/rounded.ts';
import { type TestPoint, writePoints } from '../../test/support/write-points.ts';
import { Database } from '../database/database.ts';
import { ValidationError } from '../errors/errors.ts';
import { timeWeighted } from './time-weighted.ts';

const T0 = Date.UTC(2024, 0, 2, 9, 0, 0);
const MIN = 60_000;
const MS = 1_000_000n;

/** Gauge `pos` points [ms offset, value] per series (symbol, venue). */
const SERIES: [string, string, [number, number][]][] = [
  [
    'A',
    'x',
    [
      [-90_000, 5],
      [20_000, 7],
      [50_000, -2],
      [230_000, 4],
      [245_500, 1],
    ],
  ],
  [
    'A',
    'y',
    [
      [65_000, 10],
      [125_000, 0],
    ],
  ],
  ['B', 'x', [[150_000, 3]]],
];
const points: TestPoint[] = SERIES.flatMap(([symbol, venue, list]) =>
  list.map(([offset, value]) => ({
    name: 'pos',
    time: BigInt(T0 + offset) * MS,
    value,
    symbol,
    labels: { venue },
  })),
);

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await writePoints(db, [...points, { name: 'other', time: BigInt(T0) * MS, value: 1000, symbol: 'A' }]);
});
afterAll(() => db.close());

/** Reference: step functions per series, integrated over each bucket of [from, to), summed per group. */
function reference(from: number, to: number, widthMs: number, group: (symbol: string) => string | null) {
  const acc = new Map<
    string,
    { bucket: number; group: string | null; integral: number; covered: number; samples: number }
  >();
  for (const [symbol, , list] of SERIES) {
    const steps = list.map(([offset, value], i) => ({
      start: T0 + offset,
      end: i + 1 < list.length ? T0 + (list[i + 1] as [number, number])[0] : to,
      value,
    }));
    for (const step of steps) {
      const s = Math.max(step.start, from);
      const e = Math.min(step.end, to);
      if (e <= s) continue;
      for (let b = bucketStart(s, widthMs); b < e; b += widthMs) {
        const ms = Math.min(e, b + widthMs) - Math.max(s, b);
        const key = JSON.stringify([b, group(symbol)]);
        const row = acc.get(key) ?? { bucket: b, group: group(symbol), integral: 0, covered: 0, samples: 0 };
        row.integral += (step.value * ms) / 1000;
        row.covered += ms / 1000;
        if (step.start >= from && step.start < to && bucketStart(step.start, widthMs) === b) row.samples++;
        acc.set(key, row);
      }
    }
  }
  return [...acc.values()]
    .sort((a, b) => a.bucket - b.bucket || String(a.group).localeCompare(String(b.group)))
    .map((r) => ({
      bucket: r.bucket,
      group: r.group,
      twa: r.covered > 0 ? r.integral / r.covered : null,
      integral: r.integral,
      covered_seconds: r.covered,
      samples: r.samples,
    }));
}

describe('timeWeighted', () => {
  const CASES: [string, number, number, string][] = [
    ['from mid-bucket with a point before the range', T0 + 10_000, T0 + 5 * MIN, '1m'],
    ['a range starting before the first point', T0 - 3 * MIN, T0 + 2 * MIN, '1m'],
    ['a range at a point time, 30s buckets', T0 + 20_000, T0 + 250_000, '30s'],
    ['one bucket covered only by the carried value', T0 + 3.5 * MIN, T0 + 3.8 * MIN, '1m'],
  ];
  for (const [label, from, to, interval] of CASES) {
    it(`${label}: ungrouped and by symbol match the step-function reference`, async () => {
      const width = interval === '1m' ? MIN : 30_000;
      const plain = await db.execute(timeWeighted('pos').interval(interval).between(from, to));
      expect(rounded(plain.rows.map((r) => ({ ...r, bucket: r.bucket.getTime() })))).toEqual(
        rounded(reference(from, to, width, () => null)),
      );
      const grouped = await db.execute(
        timeWeighted('pos').interval(interval).groupBy({ by: 'symbol' }).between(from, to),
      );
      expect(rounded(grouped.rows.map((r) => ({ ...r, bucket: r.bucket.getTime() })))).toEqual(
        rounded(reference(from, to, width, (s) => s)),
      );
    });
  }

  it('filters by labels and symbol; a range before every point is empty', async () => {
    const { rows } = await db.execute(
      timeWeighted('pos')
        .symbol('A')
        .label('venue', 'y')
        .between(T0 + MIN, T0 + 3 * MIN),
    );
    expect(rows.map((r) => [r.bucket.getTime() - T0, r.twa, r.integral])).toEqual([
      [MIN, 10, 550],
      [2 * MIN, 50 / 60, 50],
    ]);
    const early = await db.execute(timeWeighted('pos').between(T0 - 10 * MIN, T0 - 5 * MIN));
    expect(early.rows).toEqual([]);
  });

  it('needs both ends of the range', async () => {
    await errorOf(ValidationError, () => timeWeighted('pos').between(T0, undefined).compile());
    await errorOf(ValidationError, () =>
      timeWeighted('pos')
        .between(T0 + 1, T0)
        .compile(),
    );
  });
});
