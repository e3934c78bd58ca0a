import { describe, expect, it } from 'vitest';
import { ShortcutHints } from './shortcut-hints.ts';

describe('ShortcutHints', () => {
  it('starts a shape at the step that answered it last, and at the first step now and then', () => {
    const hints = new ShortcutHints();
    expect(hints.start('a')).toBe(0);
    hints.record('a', 2);
    const starts = Array.from({ length: 32 }, () => hints.start('a'));
    expect(starts.filter((s) => s === 0)).toHaveLength(2);
    expect(starts.filter((s) => s === 2)).toHaveLength(30);
    expect(hints.start('b')).toBe(0);
    hints.record('a', 1);
    expect(hints.start('a')).toBe(1);
  });
});
