import { type QueuePosition, readCursor, writeCursor } from './queue-cursor.ts';
import {
  bodyLength,
  decodeRecord,
  encodeRecord,
  type QueueRecord,
  RECORD_HEADER_BYTES,
} from './queue-record.ts';
import { fd, listSegments, readAt, removeSegment, segmentPath, syncDir } from './segment-files.ts';

/** Where a queue keeps its segments and how big it may grow. */
export interface SegmentQueueOptions {
  /** The queue's own folder (created if missing). */
  dir: string;
  /** Most bytes queued (records not yet delivered, headers included); appends past it are refused. */
  maxBytes: number;
  /** A segment file is closed and a new one started once it would grow past this. */
  segmentBytes: number;
}

/** A record read from the queue and the position just after it. */
export interface QueueEntry {
  readonly record: QueueRecord;
  readonly end: QueuePosition;
}

type Pending = { bytes: Buffer; done: (error?: unknown) => void };

/**
 * A bounded, durable FIFO of records in append-only segment files (`000000000001.seg`, ...): appends are
 * group-committed (every append waiting while one `fdatasync` runs shares the next one) and resolve once on
 * disk; one reader takes them in order from a persisted cursor (`cursor.json`); segments behind the cursor are
 * deleted. At open, a torn tail (a kill -9 during a write) is cut off at the last whole record.
 * @example
 * const queue = await SegmentQueue.open({ dir, maxBytes: 256 * 2 ** 20, segmentBytes: 8 * 2 ** 20 });
 * await queue.append(record);          // false when the queue is full
 * const entry = await queue.next(signal);
 * await queue.commit(entry.end);
 */
export class SegmentQueue {
  /** Bytes appended (or being appended) and not yet committed as delivered. */
  queuedBytes = 0;
  private readonly sizes = new Map<number, number>();
  private writeSegment: number;
  private writeFd: number | undefined;
  private durable: QueuePosition;
  private readPos: QueuePosition;
  private cursor: QueuePosition;
  private readSegment = -1;
  private readFd: number | undefined;
  private pending: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private closed = false;

  private constructor(
    private readonly options: SegmentQueueOptions,
    segments: Array<{ n: number; size: number }>,
    cursor: QueuePosition,
  ) {
    for (const s of segments) this.sizes.set(s.n, s.size);
    const last = segments[segments.length - 1] as { n: number; size: number };
    this.writeSegment = last.n;
    this.durable = { segment: last.n, offset: last.size };
    this.cursor = cursor;
    this.readPos = cursor;
    this.queuedBytes = this.bytesBetween(cursor, this.durable);
  }

  /** Opens (or creates) the queue in `options.dir`, repairing a torn tail and resuming from the cursor. */
  static async open(options: SegmentQueueOptions): Promise<SegmentQueue> {
    let segments = await listSegments(options.dir);
    if (segments.length === 0) {
      await fd.close(await fd.open(segmentPath(options.dir, 1), 'a'));
      await syncDir(options.dir);
      segments = [{ n: 1, size: 0 }];
    }
    const last = segments[segments.length - 1] as { n: number; size: number };
    last.size = await repairTail(segmentPath(options.dir, last.n), last.size);
    const first = segments[0] as { n: number; size: number };
    let cursor = (await readCursor(options.dir)) ?? { segment: first.n, offset: 0 };
    const at = segments.find((s) => s.n === cursor.segment);
    if (cursor.segment < first.n || at === undefined) cursor = { segment: first.n, offset: 0 };
    else if (cursor.offset > at.size) cursor = { segment: at.n, offset: at.size };
    return new SegmentQueue(options, segments, cursor);
  }

  /** True when a durable record waits after the read position. */
  get readable(): boolean {
    return this.readPos.segment < this.durable.segment || this.readPos.offset < this.durable.offset;
  }

  /**
   * Appends a record; resolves `true` once it is on disk (fdatasync), `false` without writing it when the queue
   * would outgrow `maxBytes`.
   * @throws the write's error (e.g. ENOSPC); the segment is cut back to where it was.
   */
  append(record: QueueRecord): Promise<boolean> {
    const bytes = encodeRecord(record);
    if (this.queuedBytes + bytes.byteLength > this.options.maxBytes) return Promise.resolve(false);
    this.queuedBytes += bytes.byteLength;
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ bytes, done: (error) => (error === undefined ? resolve(true) : reject(error)) });
      this.kick();
    });
  }

  /** Starts the flush loop unless it runs; an append that came as it ended starts it again. */
  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined;
      if (this.pending.length > 0) this.kick();
    });
  }

  /**
   * The next record after the read position, waiting for one to be appended; records are handed out once each,
   * in order (a record that fails its CRC ends its segment: `onCorrupt` gets the bytes skipped).
   * @throws the abort reason when `signal` aborts while waiting.
   */
  async next(signal: AbortSignal, onCorrupt?: (bytes: number) => void): Promise<QueueEntry> {
    for (;;) {
      signal.throwIfAborted();
      if (!this.readable) {
        await new Promise<void>((resolve) => {
          const done = () => {
            signal.removeEventListener('abort', done);
            this.wake = undefined;
            resolve();
          };
          this.wake = done;
          signal.addEventListener('abort', done);
        });
        continue;
      }
      const segmentEnd = this.segmentEnd(this.readPos.segment);
      if (this.readPos.offset >= segmentEnd) {
        this.readPos = { segment: this.nextSegment(this.readPos.segment), offset: 0 };
        continue;
      }
      const descriptor = await this.readDescriptor(this.readPos.segment);
      const at = this.readPos.offset;
      const header = await readAt(descriptor, at, RECORD_HEADER_BYTES);
      const total = header.byteLength === RECORD_HEADER_BYTES ? RECORD_HEADER_BYTES + bodyLength(header) : 0;
      const bytes = total > 0 && at + total <= segmentEnd ? await readAt(descriptor, at, total) : undefined;
      const record = bytes === undefined ? undefined : decodeRecord(bytes);
      if (record === undefined) {
        onCorrupt?.(segmentEnd - at);
        this.readPos = { segment: this.readPos.segment, offset: segmentEnd };
        continue;
      }
      this.readPos = { segment: this.readPos.segment, offset: at + total };
      return { record, end: this.readPos };
    }
  }

  /** Marks everything before `end` delivered: persists the cursor and deletes the segments behind it. */
  async commit(end: QueuePosition): Promise<void> {
    this.queuedBytes -= this.bytesBetween(this.cursor, end);
    const behind = [...this.sizes.keys()].filter((n) => n < end.segment);
    this.cursor = end;
    await writeCursor(this.options.dir, end);
    for (const n of behind) {
      if (n === this.readSegment) await this.closeRead();
      await removeSegment(this.options.dir, n);
      this.sizes.delete(n);
    }
  }

  /** Waits for appends in progress, then closes the files (a later append reopens its segment for itself). */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.flushing;
    await this.closeWrite();
    await this.closeRead();
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const group = this.pending;
      this.pending = [];
      await this.writeGroup(group);
      this.wake?.();
    }
    if (this.closed) await this.closeWrite();
  }

  /**
   * Writes appends to the current segment (starting new ones at the size limit), fdatasyncs and settles them
   * chunk by chunk: a failed chunk rejects its appends and those after it, never the ones already on disk.
   */
  private async writeGroup(group: Pending[]): Promise<void> {
    let chunk: Pending[] = [];
    let chunkBytes = 0;
    let at = 0;
    try {
      for (; at < group.length; at++) {
        const p = group[at] as Pending;
        const size = this.durable.offset + chunkBytes;
        if (size > 0 && size + p.bytes.byteLength > this.options.segmentBytes) {
          await this.writeChunk(chunk, chunkBytes);
          chunk = [];
          chunkBytes = 0;
          await this.startSegment();
        }
        chunk.push(p);
        chunkBytes += p.bytes.byteLength;
      }
      await this.writeChunk(chunk, chunkBytes);
    } catch (error) {
      // The chunk being written (not yet settled) and every append from the one that was being placed.
      const failed = [...chunk, ...group.slice(at)];
      for (const p of failed) this.queuedBytes -= p.bytes.byteLength;
      for (const p of failed) p.done(error);
    }
  }

  /** Writes and fdatasyncs one chunk, then resolves its appends. */
  private async writeChunk(chunk: Pending[], bytes: number): Promise<void> {
    if (bytes === 0) return;
    const descriptor = await this.writeDescriptor();
    const before = this.durable.offset;
    try {
      const { bytesWritten: written } = await fd.writev(
        descriptor,
        chunk.map((p) => p.bytes),
      );
      if (written !== bytes)
        throw new Error(`short write to the forward queue (${written} of ${bytes} bytes)`);
      await fd.fdatasync(descriptor);
    } catch (error) {
      await fd.ftruncate(descriptor, before).catch(() => undefined);
      throw error;
    }
    this.durable = { segment: this.writeSegment, offset: before + bytes };
    this.sizes.set(this.writeSegment, before + bytes);
    for (const p of chunk) p.done();
  }

  private async startSegment(): Promise<void> {
    await this.closeWrite();
    this.writeSegment++;
    this.writeFd = await fd.open(segmentPath(this.options.dir, this.writeSegment), 'a');
    await syncDir(this.options.dir);
    this.sizes.set(this.writeSegment, 0);
    this.durable = { segment: this.writeSegment, offset: 0 };
  }

  private async writeDescriptor(): Promise<number> {
    this.writeFd ??= await fd.open(segmentPath(this.options.dir, this.writeSegment), 'a');
    return this.writeFd;
  }

  private async readDescriptor(n: number): Promise<number> {
    if (this.readSegment !== n || this.readFd === undefined) {
      await this.closeRead();
      this.readFd = await fd.open(segmentPath(this.options.dir, n), 'r');
      this.readSegment = n;
    }
    return this.readFd;
  }

  private async closeWrite(): Promise<void> {
    const d = this.writeFd;
    this.writeFd = undefined;
    if (d !== undefined) await fd.close(d);
  }

  private async closeRead(): Promise<void> {
    const d = this.readFd;
    this.readFd = undefined;
    this.readSegment = -1;
    if (d !== undefined) await fd.close(d);
  }

  /** How far a segment can be read: its size, or the durable end for the one being written. */
  private segmentEnd(n: number): number {
    return n === this.durable.segment ? this.durable.offset : (this.sizes.get(n) ?? 0);
  }

  private nextSegment(n: number): number {
    let next = n + 1;
    while (!this.sizes.has(next) && next < this.writeSegment) next++;
    return next;
  }

  private bytesBetween(from: QueuePosition, to: QueuePosition): number {
    if (from.segment === to.segment) return to.offset - from.offset;
    let total = (this.sizes.get(from.segment) ?? 0) - from.offset + to.offset;
    for (const [n, size] of this.sizes) if (n > from.segment && n < to.segment) total += size;
    return total;
  }
}

/** Cuts a segment back to its last whole record (a crash may have torn the one being written); returns its size. */
async function repairTail(path: string, size: number): Promise<number> {
  const descriptor = await fd.open(path, 'r+');
  try {
    let at = 0;
    while (at < size) {
      const header = await readAt(descriptor, at, RECORD_HEADER_BYTES);
      if (header.byteLength < RECORD_HEADER_BYTES) break;
      const total = RECORD_HEADER_BYTES + bodyLength(header);
      if (at + total > size) break;
      if (decodeRecord(await readAt(descriptor, at, total)) === undefined) break;
      at += total;
    }
    if (at < size) {
      await fd.ftruncate(descriptor, at);
      await fd.fsync(descriptor);
    }
    return at;
  } finally {
    await fd.close(descriptor);
  }
}
