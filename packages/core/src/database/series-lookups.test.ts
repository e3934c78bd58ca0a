import { describe, expect, it } from 'vitest';
import { SeriesLookups } from './series-lookups.ts';

const fetcher = () => {
  let calls = 0;
  return {
    fetch: async () => [{ series_id: ++calls }],
    get calls() {
      return calls;
    },
  };
};

describe('SeriesLookups', () => {
  it('keeps an answer until a change, keyed by statement and parameters', async () => {
    const lookups = new SeriesLookups();
    const f = fetcher();
    await lookups.get('q', ['a'], f.fetch);
    expect(await lookups.get('q', ['a'], f.fetch)).toEqual([{ series_id: 1 }]);
    expect(await lookups.get('q', ['b'], f.fetch)).toEqual([{ series_id: 2 }]);
    lookups.changed();
    expect(await lookups.get('q', ['a'], f.fetch)).toEqual([{ series_id: 3 }]);
    expect(f.calls).toBe(3);
  });

  it('reads afresh and keeps nothing while a change is under way, nor what was read across one', async () => {
    const lookups = new SeriesLookups();
    const f = fetcher();
    await lookups.get('q', [], f.fetch);
    const done = lookups.changing();
    expect(await lookups.get('q', [], f.fetch)).toEqual([{ series_id: 2 }]);
    expect(await lookups.get('q', [], f.fetch)).toEqual([{ series_id: 3 }]);
    done();
    done(); // a second call changes nothing more
    let release: () => void = () => undefined;
    const slow = lookups.get('q', [], async () => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return f.fetch();
    });
    lookups.changing()();
    release();
    expect(await slow).toEqual([{ series_id: 4 }]);
    expect(await lookups.get('q', [], f.fetch)).toEqual([{ series_id: 5 }]);
    expect(await lookups.get('q', [], f.fetch)).toEqual([{ series_id: 5 }]);
  });
});
