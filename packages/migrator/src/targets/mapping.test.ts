import { describe, expect, it } from 'vitest';
import { MappingError } from '../errors/errors.ts';
import { parsePairs, resolveMapping } from './mapping.ts';
import { PRESETS } from './presets.ts';
import { TARGETS } from './target-tables.ts';

const sources = (columns: string[], options = {}) =>
  Object.fromEntries(
    resolveMapping(TARGETS.trading_metrics, PRESETS.metrics, columns, options).fields.map((f) => [
      f.field.name,
      f.source,
    ]),
  );

describe('resolveMapping', () => {
  it('uses the preset, case-insensitive names and a JSON key for the symbol', () => {
    const m = sources(['Time', 'metric', 'value', 'labels']);
    expect(m.ts).toEqual({ kind: 'column', column: 'Time' });
    expect(m.name).toEqual({ kind: 'column', column: 'metric' });
    expect(m.symbol).toEqual({ kind: 'json_key', column: 'labels', key: 'symbol' });
    expect(m.attributes).toEqual({ kind: 'column', column: 'labels' });
    expect(m.unit).toBeUndefined();
  });

  it('applies --map, --set and --time-column over the preset', () => {
    const m = sources(['t', 'metric', 'v', 'sym'], {
      map: { value: 'v', symbol: 'sym' },
      set: { unit: 'ms' },
      timeColumn: 't',
    });
    expect(m).toMatchObject({
      ts: { column: 't' },
      value: { column: 'v' },
      symbol: { column: 'sym' },
      unit: { kind: 'constant', value: 'ms' },
    });
  });

  it('names what is wrong', () => {
    expect(() => sources(['time', 'name'])).toThrow(/no source column for required field value/);
    expect(() => sources(['time', 'name', 'value'], { map: { colour: 'x' } })).toThrow(/has no field colour/);
    expect(() => sources(['time', 'name', 'value'], { map: { value: 'nope' } })).toThrow(MappingError);
    expect(parsePairs(['ts=time', 'venue=a=b'], '--map')).toEqual({ ts: 'time', venue: 'a=b' });
    expect(() => parsePairs(['novalue'], '--map')).toThrow(/expected duckside_field=value/);
  });
});
