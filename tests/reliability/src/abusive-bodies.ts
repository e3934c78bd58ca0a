import { deflateSync, gzipSync } from 'node:zlib';

const MIB = 1024 * 1024;

/**
 * A gzip bomb: `members` concatenated gzip members of 1 MiB of zeros each (about 1 KiB compressed per member),
 * so 1024 members are 1 MiB on the wire and 1 GiB once inflated. Gzip decoders inflate every member.
 * @example const bomb = gzipBomb(1024); // ~1 MiB -> 1 GiB
 */
export function gzipBomb(members: number): Buffer {
  const member = gzipSync(Buffer.alloc(MIB), { level: 9 });
  return Buffer.concat(Array.from({ length: members }, () => member));
}

/**
 * A zlib (`Content-Encoding: deflate`) bomb of `mib` MiB of zeros, built by streaming zeros through deflate.
 * @example const bomb = deflateBomb(256);
 */
export function deflateBomb(mib: number): Buffer {
  return deflateSync(Buffer.alloc(mib * MIB), { level: 9 });
}
