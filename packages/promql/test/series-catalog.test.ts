import { Database, MetricRecord } from '@duckside/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluatePromql, type PromqlResult, SeriesCatalog, seriesLabelSets } from '../src/index.ts';

/* The in-memory series catalog stays exact while series are written between calls. */

const MIN = 60_000;
let db: Database;

const at = (ms: number) => BigInt(ms) * 1_000_000n;
const gauge = (name: string, value: number, ms: number, labels: Record<string, string>) => {
  let r = new MetricRecord(name, value, at(ms));
  for (const [k, v] of Object.entries(labels)) r = r.addLabel(k, v);
  return r;
};
const values = (r: PromqlResult) => {
  if (r.resultType !== 'vector') throw new Error(`expected a vector, got ${r.resultType}`);
  return r.result.map((s) => [s.metric.venue, s.value]);
};
const venues = async (catalog: SeriesCatalog, selector: string) =>
  (await seriesLabelSets(db, [selector], 0, 20 * MIN, { catalog })).map((l) => l.venue).sort();

beforeEach(async () => {
  db = await Database.open(':memory:');
  await db.insertMetrics([gauge('depth', 1, MIN, { venue: 'a' })]);
});

afterEach(() => db.close());

describe('SeriesCatalog', () => {
  it('sees a series written after it was loaded, in queries and series calls', async () => {
    const catalog = new SeriesCatalog();
    expect(values(await evaluatePromql(db, 'depth', { time: 5 * MIN, catalog }))).toEqual([['a', 1]]);
    expect(await venues(catalog, 'depth')).toEqual(['a']);
    await db.insertMetrics([gauge('depth', 2, 2 * MIN, { venue: 'b' })]);
    expect(values(await evaluatePromql(db, 'depth', { time: 5 * MIN, catalog }))).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(await venues(catalog, 'depth{venue=~"a|b"}')).toEqual(['a', 'b']);
    await db.insertMetrics([gauge('depth', 3, 3 * MIN, { venue: 'c' })]);
    expect(await venues(catalog, '{__name__="depth",venue!="a"}')).toEqual(['b', 'c']);
  });

  it('keeps answering new points of known series without a reload', async () => {
    const catalog = new SeriesCatalog();
    expect(values(await evaluatePromql(db, 'depth', { time: 5 * MIN, catalog }))).toEqual([['a', 1]]);
    await db.insertMetrics([gauge('depth', 7, 4 * MIN, { venue: 'a' })]);
    expect(values(await evaluatePromql(db, 'depth', { time: 5 * MIN, catalog }))).toEqual([['a', 7]]);
  });

  it('forgets a series whose rows are removed', async () => {
    const catalog = new SeriesCatalog();
    await db.insertMetrics([gauge('depth', 2, 2 * MIN, { venue: 'b' })]);
    expect(await venues(catalog, 'depth')).toEqual(['a', 'b']);
    await db.withConnection((c) =>
      c.run(`DELETE FROM metric_points WHERE series_id IN (SELECT series_id FROM metric_series
        WHERE attributes LIKE '%"b"%'); DELETE FROM metric_series WHERE attributes LIKE '%"b"%'`),
    );
    expect(await venues(catalog, 'depth')).toEqual(['a']);
    expect(values(await evaluatePromql(db, 'depth', { time: 5 * MIN, catalog }))).toEqual([['a', 1]]);
  });

  it('reads a series only where it has points in the range', async () => {
    const catalog = new SeriesCatalog();
    await db.insertMetrics([gauge('depth', 2, 15 * MIN, { venue: 'b' })]);
    const sets = await seriesLabelSets(db, ['depth'], 10 * MIN, 20 * MIN, { catalog });
    expect(sets).toEqual([{ __name__: 'depth', venue: 'b' }]);
  });
});
