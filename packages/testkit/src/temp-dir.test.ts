import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './temp-dir.ts';

describe('tempDir', () => {
  it('creates a fresh folder and removes it with its content', async () => {
    const a = await tempDir('tk-');
    const b = await tempDir('tk-');
    expect(a.path).not.toBe(b.path);
    writeFileSync(join(a.path, 'x.txt'), 'x');
    await a.remove();
    await a.remove();
    expect(existsSync(a.path)).toBe(false);
    {
      await using _b = b;
    }
    expect(existsSync(b.path)).toBe(false);
  });
});
