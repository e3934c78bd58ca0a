const EMPTY = Buffer.alloc(0);

/**
 * Maps byte strings (slices of a buffer) to small integer ids, keeping one copy of each distinct value. The
 * PostgreSQL importer sends ids instead of strings through the appender and joins the texts back in DuckDB, which
 * is much cheaper for the repetitive texts of trading data (metric names, symbols, label sets). Values are hashed
 * and compared four bytes at a time through `DataView`s: this runs for every row (once per text field, or once
 * for a row's whole series key).
 * @example
 * const interner = new ByteInterner();
 * interner.intern(buf, 0, 3) === interner.intern(buf, 10, 3); // true when both slices hold the same bytes
 * interner.text(0); // 'abc'
 */
export class ByteInterner {
  private store = Buffer.allocUnsafe(4096);
  private storeView = viewOf(this.store);
  private used = 0;
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly hashes: number[] = [];
  /** Open-addressing table of `id + 1` (0: empty), sized a power of two at least twice the ids. */
  private slots = new Int32Array(64);
  private source: Buffer = EMPTY;
  private sourceView = viewOf(EMPTY);

  /** Number of distinct values. */
  get size(): number {
    return this.starts.length;
  }

  /** Returns the id of the bytes `buffer[start, start + length)`, adding them when new. */
  intern(buffer: Buffer, start: number, length: number): number {
    if (buffer !== this.source) {
      this.source = buffer;
      this.sourceView = viewOf(buffer);
    }
    const view = this.sourceView;
    const hash = hashBytes(view, start, length);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return this.add(buffer, start, length, hash, slot);
      const id = entry - 1;
      if (
        this.hashes[id] === hash &&
        this.lengths[id] === length &&
        sameBytes(this.storeView, this.starts[id] as number, view, start, length)
      ) {
        return id;
      }
    }
  }

  /** The bytes of value `id`: a view of the interner's storage (do not write to it). */
  bytes(id: number): Buffer {
    const start = this.starts[id] as number;
    return this.store.subarray(start, start + (this.lengths[id] as number));
  }

  /** Value `id` decoded as UTF-8. */
  text(id: number): string {
    const start = this.starts[id] as number;
    return this.store.toString('utf8', start, start + (this.lengths[id] as number));
  }

  private add(buffer: Buffer, start: number, length: number, hash: number, slot: number): number {
    const id = this.starts.length;
    if (this.used + length > this.store.length) this.growStore(length);
    buffer.copy(this.store, this.used, start, start + length);
    this.starts.push(this.used);
    this.lengths.push(length);
    this.hashes.push(hash);
    this.used += length;
    this.slots[slot] = id + 1;
    if ((id + 1) * 2 > this.slots.length) this.rehash();
    return id;
  }

  private growStore(length: number): void {
    const grown = Buffer.allocUnsafe(Math.max(this.store.length * 2, this.used + length));
    this.store.copy(grown, 0, 0, this.used);
    this.store = grown;
    this.storeView = viewOf(grown);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    this.hashes.forEach((hash, id) => {
      let slot = hash & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    });
    this.slots = slots;
  }
}

function viewOf(buffer: Buffer): DataView {
  return new DataView(buffer.buffer, buffer.byteOffset, buffer.length);
}

/** A 32-bit hash of the bytes, read as little-endian words and finished with murmur3's mixer. */
function hashBytes(view: DataView, start: number, length: number): number {
  let hash = length ^ 0x9e3779b9;
  const words = start + (length & ~3);
  let i = start;
  for (; i < words; i += 4) hash = Math.imul(hash ^ view.getInt32(i, true), 0x01000193) ^ (hash >>> 15);
  for (; i < start + length; i++) hash = Math.imul(hash ^ view.getUint8(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

function sameBytes(a: DataView, aStart: number, b: DataView, bStart: number, length: number): boolean {
  const words = length & ~3;
  let i = 0;
  for (; i < words; i += 4) if (a.getInt32(aStart + i, true) !== b.getInt32(bStart + i, true)) return false;
  for (; i < length; i++) if (a.getUint8(aStart + i) !== b.getUint8(bStart + i)) return false;
  return true;
}
