import { describe, expect, it } from 'vitest';
import { parseBytes, parseDuration } from './units.ts';

describe('units', () => {
  it('parses durations', () => {
    expect(parseDuration(250)).toBe(250);
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('12h')).toBe(43_200_000);
    expect(parseDuration('30d')).toBe(2_592_000_000);
    expect(parseDuration('2w')).toBe(1_209_600_000);
    for (const bad of ['', 'soon', '-1s', '1y', '5 minutes', Number.NaN, -1, null]) {
      expect(parseDuration(bad), String(bad)).toBeUndefined();
    }
  });

  it('parses sizes', () => {
    expect(parseBytes(1024)).toBe(1024);
    expect(parseBytes('512KiB')).toBe(524_288);
    expect(parseBytes('16MiB')).toBe(16_777_216);
    expect(parseBytes('1gb')).toBe(1_000_000_000);
    expect(parseBytes('2 MB')).toBe(2_000_000);
    for (const bad of ['', 'big', '1TB', '-5']) expect(parseBytes(bad), bad).toBeUndefined();
  });
});
