import { describe, expect, it } from 'vitest';
import { meets, type RatioTarget, ratioResults, ratioTable, targetCell } from './ratio-target.ts';

const target = (ratio: number, bound: number, better: 'higher' | 'lower'): RatioTarget => ({
  key: `k.${ratio}`,
  figure: 'ingest',
  duckside: '9 rows/s',
  peer: 'raw: 10 rows/s',
  how: 'core ÷ raw',
  ratio,
  bound,
  better,
});

describe('ratio targets', () => {
  it('meet their bound from above or below, the bound itself included', () => {
    expect(meets(0.9, 0.9, 'higher')).toBe(true);
    expect(meets(0.89, 0.9, 'higher')).toBe(false);
    expect(meets(1.3, 1.3, 'lower')).toBe(true);
    expect(meets(1.31, 1.3, 'lower')).toBe(false);
    expect(meets(Number.NaN, 1, 'lower')).toBeUndefined();
    expect(meets(undefined, 1, 'higher')).toBeUndefined();
  });

  it('render a verdict cell and a table row per target, with the section when asked', () => {
    expect(targetCell(target(0.93, 0.9, 'higher'))).toBe('>= 0.90×: yes');
    expect(targetCell(target(1.73, 1.3, 'lower'))).toBe('<= 1.30×: **no**');
    expect(targetCell(undefined)).toBe('');
    const table = ratioTable([target(0.93, 0.9, 'higher'), target(Number.NaN, 4, 'higher')], () => 'core');
    expect(table.split('\n')).toEqual([
      '| Section | Figure | Duckside | Peer (same run) | Compared as | Ratio | Target | Meets |',
      '|---|---|---:|---|---|---:|---|---|',
      '| core | ingest | 9 rows/s | raw: 10 rows/s | core ÷ raw | 0.93× | >= 0.90× | yes |',
      '| core | ingest | 9 rows/s | raw: 10 rows/s | core ÷ raw | n/a | >= 4.00× | n/a |',
    ]);
  });

  it('put each ratio in the results under its key', () => {
    expect(ratioResults([target(0.93, 0.9, 'higher'), target(2, 4, 'higher')])).toEqual({
      'k.0.93': 0.93,
      'k.2': 2,
    });
  });
});
