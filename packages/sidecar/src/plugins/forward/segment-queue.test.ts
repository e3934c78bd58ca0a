import { appendFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@duckside/testkit';
import { describe, expect, it } from 'vitest';
import { RECORD_HEADER_BYTES } from './queue-record.ts';
import { SegmentQueue } from './segment-queue.ts';

const record = (text: string) => ({
  signal: 'metrics' as const,
  encoding: 'protobuf' as const,
  body: Buffer.from(text),
  enqueuedAtMs: 1,
});
const never = new AbortController().signal;

describe('SegmentQueue (real files)', () => {
  it('hands records out in order, resumes from the cursor after a reopen and deletes delivered segments', async () => {
    await using dir = await tempDir('segment-queue-');
    const options = { dir: dir.path, maxBytes: 1 << 20, segmentBytes: 3 * (RECORD_HEADER_BYTES + 4) };
    const q = await SegmentQueue.open(options);
    const appended = await Promise.all(
      Array.from({ length: 10 }, (_, i) => q.append(record(`r-${String(i).padStart(2, '0')}`))),
    );
    expect(appended.every(Boolean)).toBe(true);
    expect(q.queuedBytes).toBe(10 * (RECORD_HEADER_BYTES + 4));
    expect(readdirSync(dir.path).filter((f) => f.endsWith('.seg'))).toHaveLength(4);
    const first = [await q.next(never), await q.next(never), await q.next(never), await q.next(never)];
    expect(first.map((e) => e.record.body.toString())).toEqual(['r-00', 'r-01', 'r-02', 'r-03']);
    await q.commit(first[3]!.end);
    expect(q.queuedBytes).toBe(6 * (RECORD_HEADER_BYTES + 4));
    expect(readdirSync(dir.path).filter((f) => f.endsWith('.seg'))).toHaveLength(3);
    // Read past the cursor without committing: after a reopen these come again (at least once).
    await q.next(never);
    await q.close();
    const again = await SegmentQueue.open(options);
    expect(again.queuedBytes).toBe(6 * (RECORD_HEADER_BYTES + 4));
    const rest: string[] = [];
    while (again.readable) rest.push((await again.next(never)).record.body.toString());
    expect(rest).toEqual(['r-04', 'r-05', 'r-06', 'r-07', 'r-08', 'r-09']);
    await again.close();
  });

  it('refuses appends past maxBytes and cuts a torn tail off at open', async () => {
    await using dir = await tempDir('segment-queue-');
    const size = RECORD_HEADER_BYTES + 4;
    const options = { dir: dir.path, maxBytes: 2 * size, segmentBytes: 1 << 20 };
    const q = await SegmentQueue.open(options);
    expect(await q.append(record('aaaa'))).toBe(true);
    expect(await q.append(record('bbbb'))).toBe(true);
    expect(await q.append(record('cccc'))).toBe(false);
    await q.close();
    const segment = join(dir.path, '000000000001.seg');
    appendFileSync(segment, Buffer.from([9, 0, 0, 0, 1, 2, 3])); // half a header, as a kill -9 mid-write leaves
    const reopened = await SegmentQueue.open(options);
    expect(statSync(segment).size).toBe(2 * size);
    expect((await reopened.next(never)).record.body.toString()).toBe('aaaa');
    expect((await reopened.next(never)).record.body.toString()).toBe('bbbb');
    expect(reopened.readable).toBe(false);
    expect(await reopened.append(record('dddd'))).toBe(false);
    await reopened.close();
  });

  it('waits for the next append, and stops waiting when aborted', async () => {
    await using dir = await tempDir('segment-queue-');
    const q = await SegmentQueue.open({ dir: dir.path, maxBytes: 1 << 20, segmentBytes: 1 << 20 });
    const waiting = q.next(never);
    await q.append(record('late'));
    expect((await waiting).record.body.toString()).toBe('late');
    const abort = new AbortController();
    const stopped = q.next(abort.signal);
    abort.abort(new Error('stop'));
    await expect(stopped).rejects.toThrow('stop');
    await q.close();
  });

  it('rejects an append it could not write, and gives its bytes back to the cap', async () => {
    await using dir = await tempDir('segment-queue-');
    const q = await SegmentQueue.open({ dir: join(dir.path, 'q'), maxBytes: 1 << 20, segmentBytes: 1 << 20 });
    rmSync(join(dir.path, 'q'), { recursive: true });
    await expect(q.append(record('lost'))).rejects.toThrow(/ENOENT/);
    expect(q.queuedBytes).toBe(0);
    expect(q.readable).toBe(false);
    await q.close();
  });
});
