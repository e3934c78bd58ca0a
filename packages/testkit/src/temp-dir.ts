import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExit } from './exit-cleanup.ts';

/** A temporary folder removed by `remove()`, by `await using`, or at the latest when the process exits. */
export interface TempDir extends AsyncDisposable {
  /** Absolute path of the folder. */
  readonly path: string;
  /** Deletes the folder and everything in it. Safe to call twice. */
  remove(): Promise<void>;
}

/**
 * Creates a fresh folder under the OS temp folder (`$TMPDIR`, `/tmp`).
 * @example
 * await using dir = await tempDir('migrator-');
 * writeFileSync(join(dir.path, 'a.csv'), 'x\n1\n');
 */
export async function tempDir(prefix = 'duckside-'): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  const forget = onExit(() => rmSync(path, { recursive: true, force: true }));
  let removing: Promise<void> | undefined;
  const remove = () => {
    removing ??= rm(path, { recursive: true, force: true }).finally(forget);
    return removing;
  };
  return { path, remove, [Symbol.asyncDispose]: remove };
}
