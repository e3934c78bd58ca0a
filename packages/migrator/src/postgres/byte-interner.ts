const FNV_OFFSET = 2166136261;
const FNV_PRIME = 16777619;

/**
 * Maps byte strings (slices of a buffer) to small integer ids, decoding each distinct value to a JS string only
 * once. The PostgreSQL importer sends ids instead of strings through the appender and joins the texts back in
 * DuckDB, which is much cheaper for the repetitive texts of trading data (metric names, symbols, label sets).
 * @example
 * const interner = new ByteInterner();
 * interner.intern(buf, 0, 3) === interner.intern(buf, 10, 3); // true when both slices hold the same bytes
 * interner.values; // ['abc']
 */
export class ByteInterner {
  /** Decoded texts by id. */
  readonly values: string[] = [];
  private readonly keys: Buffer[] = [];
  private readonly chain: number[] = [];
  private readonly heads = new Map<number, number>();

  /** Returns the id of the UTF-8 text `buffer[start, start + length)`, adding it when new. */
  intern(buffer: Buffer, start: number, length: number): number {
    const end = start + length;
    let hash = FNV_OFFSET ^ length;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ (buffer[i] as number), FNV_PRIME);
    const head = this.heads.get(hash);
    for (let id = head ?? -1; id >= 0; id = this.chain[id] as number) {
      if (sameBytes(this.keys[id] as Buffer, buffer, start, length)) return id;
    }
    const id = this.keys.length;
    this.keys.push(Buffer.from(buffer.subarray(start, end)));
    this.values.push(buffer.toString('utf8', start, end));
    this.chain.push(head ?? -1);
    this.heads.set(hash, id);
    return id;
  }

  /** Number of distinct values. */
  get size(): number {
    return this.values.length;
  }
}

function sameBytes(key: Buffer, buffer: Buffer, start: number, length: number): boolean {
  if (key.length !== length) return false;
  for (let i = 0; i < length; i++) if (key[i] !== buffer[start + i]) return false;
  return true;
}
