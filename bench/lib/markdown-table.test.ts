import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatMs, formatRatio } from './format.ts';
import { markdownTable } from './markdown-table.ts';

describe('markdownTable and formatting', () => {
  it('renders aligned columns and escapes pipes', () => {
    expect(markdownTable(['Workload', '>ms'], [['a|b', '3.1']])).toBe(
      '| Workload | ms |\n|---|---:|\n| a\\|b | 3.1 |',
    );
  });

  it('formats figures for the report', () => {
    expect(formatMs(7.26)).toBe('7.3');
    expect(formatMs(26914.2)).toBe('26,914');
    expect(formatMs(undefined)).toBe('n/a');
    expect(formatCount(1234567.8)).toBe('1,234,568');
    expect(formatRatio(0.8612)).toBe('0.86×');
    expect(formatRatio(64.2)).toBe('64×');
    expect(formatBytes(22_032_384)).toBe('21.0 MiB');
  });
});
