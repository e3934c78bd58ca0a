import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptySeriesContext } from './empty-points.ts';
import {
  KnownSeries,
  SeriesIdCache,
  type SeriesIdentity,
  seriesIdOfKey,
  seriesIdSql,
  seriesKeyPrefix,
  seriesKeySuffix,
} from './series-identity.ts';

let instance: DuckDBInstance;
beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
});
afterAll(() => instance.closeSync());

const COLUMNS = {
  name: '$1',
  unit: '$2',
  description: '$3',
  service: '$4',
  resource: '$5',
  scope: '$6',
  symbol: '$7',
  attributes: '$8',
};

/** The id DuckDB computes with {@link seriesIdSql} for these fields. */
async function sqlId(s: SeriesIdentity, symbol: string | null, attributes: string): Promise<bigint> {
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT ${seriesIdSql(COLUMNS)} AS id`, [
      s.name,
      s.unit,
      s.description,
      s.service,
      s.resource,
      s.scope,
      symbol,
      attributes,
    ]);
    return reader.getRowObjects()[0]?.id as bigint;
  } finally {
    connection.closeSync();
  }
}

const jsId = (s: SeriesIdentity, symbol: string | null, attributes: string) =>
  seriesIdOfKey(`${seriesKeyPrefix(s)}\u001f\u001d${seriesKeySuffix(symbol, attributes)}`);

// Text with the separator characters in it, so the escaping is exercised.
const text = fc.string({
  unit: fc.constantFrom('a', 'é', '\u001f', '\u001d', '\u001e', '\u001c', '{', '😀'),
});
const identity = fc.record({
  name: text,
  unit: text,
  description: text,
  service: fc.option(text),
  resource: text,
  scope: text,
});

describe('series ids', () => {
  it('are the same number in TypeScript and in DuckDB SQL', async () => {
    await fc.assert(
      fc.asyncProperty(identity, fc.option(text), text, async (s, symbol, attributes) => {
        expect(jsId(s, symbol, attributes)).toBe(await sqlId(s, symbol, attributes));
      }),
      { numRuns: 60 },
    );
  });

  it('differ when a separator moves from one field to the next, and for null versus text', () => {
    const base: SeriesIdentity = { ...emptySeriesContext('a\u001f'), unit: 'b' };
    const shifted = { ...base, name: 'a', unit: '\u001fb' };
    expect(jsId(base, null, '{}')).not.toBe(jsId(shifted, null, '{}'));
    expect(jsId(base, null, '{}')).not.toBe(jsId({ ...base, service: '\u001f\u001c' }, null, '{}'));
    expect(jsId(base, null, '{}')).not.toBe(jsId(base, '', '{}'));
  });

  it('are memoized per metric and equal to the uncached id, whatever the symbol', () => {
    const cache = new SeriesIdCache();
    const s: SeriesIdentity = { ...emptySeriesContext('m'), service: 'svc' };
    const scope = cache.scope(s);
    expect(cache.scope({ ...s })).toBe(scope);
    const btc = cache.entry(scope, 'BTC/USD', '{"venue":"kraken"}');
    expect(btc.id).toBe(jsId(s, 'BTC/USD', '{"venue":"kraken"}'));
    expect(cache.entry(scope, 'BTC/USD', '{"venue":"kraken"}')).toBe(btc);
    // Same attributes with another symbol (or none) are other series, each memoized too.
    const eth = cache.entry(scope, 'ETH/USD', '{"venue":"kraken"}');
    const none = cache.entry(scope, null, '{"venue":"kraken"}');
    expect(new Set([btc.id, eth.id, none.id]).size).toBe(3);
    expect(none.id).toBe(jsId(s, null, '{"venue":"kraken"}'));
    expect(cache.entry(scope, 'ETH/USD', '{"venue":"kraken"}')).toBe(eth);
    expect(cache.entry(scope, null, '{"venue":"kraken"}')).toBe(none);
  });

  it('finds a reused context object again, and notices when it was changed in place', () => {
    const cache = new SeriesIdCache();
    const context: SeriesIdentity = emptySeriesContext('a');
    const a = cache.scope(context);
    expect(cache.scope(context)).toBe(a);
    context.name = 'b';
    const b = cache.scope(context);
    expect(b).not.toBe(a);
    expect([a.identity.name, b.identity.name]).toEqual(['a', 'b']);
    expect(cache.entry(b, null, '{}').id).toBe(jsId(context, null, '{}'));
  });
});

describe('SeriesIdCache bound', () => {
  it('forgets every scope past its bound, also those found by context object', () => {
    const cache = new SeriesIdCache(2);
    const context: SeriesIdentity = emptySeriesContext('b');
    const first = cache.scope(context);
    for (const i of [1, 2, 3]) cache.entry(first, null, `{"i":${i}}`);
    const again = cache.scope(context);
    expect(again).not.toBe(first);
    expect(again.bySymbol.size).toBe(0);
    // Ids do not depend on the cache.
    expect(cache.entry(again, null, '{"i":1}').id).toBe(jsId(context, null, '{"i":1}'));
  });
});

describe('KnownSeries', () => {
  it('remembers committed series and starts over past its bound', () => {
    const cache = new SeriesIdCache();
    const scope = cache.scope(emptySeriesContext('k'));
    const [a, b, c] = ['{"i":1}', '{"i":2}', '{"i":3}'].map((attributes) =>
      cache.entry(scope, null, attributes),
    );
    const known = new KnownSeries(2);
    known.addAll([a!, b!, a!]);
    expect(known.has(a!) && known.has(b!)).toBe(true);
    known.addAll([c!]);
    expect([known.has(a!), known.has(b!), known.has(c!)]).toEqual([false, false, true]);
  });
});
