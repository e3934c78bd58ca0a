import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FuzzCases } from './fuzz-cases.ts';
import { hostileBodies } from './hostile-bodies.ts';
import { otlpSeeds } from './otlp-seeds.ts';
import { Random } from './random.ts';

describe('FuzzCases', () => {
  const seeds = otlpSeeds();

  it('is reproducible from its seed and covers every strategy', () => {
    const a = new FuzzCases(seeds, new Random(11));
    const b = new FuzzCases(seeds, new Random(11));
    const strategies = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const x = a.next();
      const y = b.next();
      expect(y.body.equals(x.body)).toBe(true);
      strategies.add(x.strategy.replace('+bad-gzip', ''));
      if (x.contentEncoding === 'gzip' && x.expected !== undefined)
        expect(gunzipSync(x.body).length).toBeGreaterThanOrEqual(0);
    }
    expect([...strategies].sort()).toEqual([
      'foreign-type',
      'json-bytes',
      'json-tree',
      'proto-bytes',
      'random',
      'seed',
    ]);
  });

  it('starts from valid JSON seeds of every kind', () => {
    const kinds = seeds.json.map((b) =>
      Object.keys(JSON.parse(b.toString()).resourceMetrics[0].scopeMetrics[0].metrics[0]),
    );
    const all = new Set(kinds.flat());
    for (const k of ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'])
      expect(all).toContain(k);
    expect(seeds.protobuf.length).toBe(seeds.json.length);
  });
});

describe('hostileBodies', () => {
  it('builds deep nesting linearly (50k levels in well under a few MB)', () => {
    const deep = hostileBodies().find((h) => h.name === 'proto-deep-kvlist');
    expect(deep?.body.length).toBeGreaterThan(50_000 * 8);
    expect(deep?.body.length).toBeLessThan(50_000 * 16);
  });
});
