/** Types of snappyjs 0.7.0 (it ships none): snappy block-format compression. */
declare module 'snappyjs' {
  /** Snappy block-compresses `input` (same type out as in). */
  export function compress<T extends Uint8Array | ArrayBuffer>(input: T): T;
  /** Decompresses a snappy block, refusing one that declares more than `maxLength` bytes. */
  export function uncompress<T extends Uint8Array | ArrayBuffer>(input: T, maxLength?: number): T;
}
