import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A place in a queue: a segment number and a byte offset in it. */
export interface QueuePosition {
  readonly segment: number;
  readonly offset: number;
}

const CURSOR_FILE = 'cursor.json';

/**
 * The delivered position persisted in a queue folder, or `undefined` when there is none or it is unreadable
 * (the queue then resends from its oldest segment: at least once).
 * @example const cursor = await readCursor(dir);
 */
export async function readCursor(dir: string): Promise<QueuePosition | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dir, CURSOR_FILE), 'utf8')) as Partial<QueuePosition>;
    if (Number.isSafeInteger(value.segment) && Number.isSafeInteger(value.offset)) {
      return { segment: value.segment as number, offset: value.offset as number };
    }
  } catch {
    // Missing or torn: start from the oldest segment.
  }
  return undefined;
}

/**
 * Replaces the persisted cursor (written beside, then renamed over it). Not fsynced: after a machine crash it
 * may be older than the last delivery, which only resends (the queue is at least once).
 * @example await writeCursor(dir, { segment: 3, offset: 4096 });
 */
export async function writeCursor(dir: string, position: QueuePosition): Promise<void> {
  const tmp = join(dir, `${CURSOR_FILE}.tmp`);
  await writeFile(tmp, JSON.stringify(position));
  await rename(tmp, join(dir, CURSOR_FILE));
}
