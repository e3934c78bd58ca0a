import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * A scratch folder for one test file, removed after its tests. Call at the top level of a test file.
 * @example const dir = tempDirectory(); const db = await Database.open(dir.path('a.duckdb'));
 */
export function tempDirectory(): { root: string; path(name: string): string } {
  const root = mkdtempSync(join(tmpdir(), 'duckside-core-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return { root, path: (name) => join(root, name) };
}
