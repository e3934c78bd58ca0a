import * as fs from 'node:fs';
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Promisified descriptor-level file calls (plain descriptors: no FileHandle to be closed by the collector). */
export const fd = {
  open: promisify(fs.open),
  close: promisify(fs.close),
  read: promisify(fs.read),
  writev: promisify(fs.writev),
  fdatasync: promisify(fs.fdatasync),
  fsync: promisify(fs.fsync),
  ftruncate: promisify(fs.ftruncate),
};

/**
 * The file of segment `n` in a queue folder: zero-padded so that names sort in order.
 * @example segmentPath('/data/db.forward/up', 7) // '/data/db.forward/up/000000000007.seg'
 */
export function segmentPath(dir: string, n: number): string {
  return join(dir, `${String(n).padStart(12, '0')}.seg`);
}

/**
 * The segments of a queue folder (created if missing), oldest first, with their sizes.
 * @example const segments = await listSegments(dir); // [{ n: 1, size: 4096 }]
 */
export async function listSegments(dir: string): Promise<Array<{ n: number; size: number }>> {
  await mkdir(dir, { recursive: true });
  const names = (await readdir(dir)).filter((f) => /^\d{12}\.seg$/.test(f)).sort();
  const out: Array<{ n: number; size: number }> = [];
  for (const name of names)
    out.push({ n: Number(name.slice(0, 12)), size: (await stat(join(dir, name))).size });
  return out;
}

/**
 * Makes a new directory entry durable (fsync of the folder), so a segment created before a crash is found after.
 * @example await syncDir(dir);
 */
export async function syncDir(dir: string): Promise<void> {
  const d = await fd.open(dir, 'r');
  try {
    await fd.fsync(d);
  } finally {
    await fd.close(d);
  }
}

/**
 * Deletes a segment file (gone already is fine).
 * @example await removeSegment(dir, 3);
 */
export async function removeSegment(dir: string, n: number): Promise<void> {
  await unlink(segmentPath(dir, n)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/**
 * Reads exactly `length` bytes at `position`, or fewer at the end of the file.
 * @example const header = await readAt(descriptor, 0, 20);
 */
export async function readAt(descriptor: number, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fd.read(descriptor, buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buf : buf.subarray(0, got);
}
