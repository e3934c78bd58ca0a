import type { Random } from './random.ts';

const INTERESTING = [
  0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x1a, 0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x22, 0x2c,
];

/**
 * Applies 1 to 4 random byte-level mutations (bit flips, interesting bytes, inserts, deletes, duplicated ranges,
 * overlong varints, truncation) to a copy of `input`; a splice partner may replace a tail.
 * @example const mutated = mutateBytes(rng, seed, otherSeed);
 */
export function mutateBytes(rng: Random, input: Buffer, partner?: Buffer): Buffer {
  let b = Buffer.from(input);
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const at = b.length === 0 ? 0 : rng.int(b.length);
    switch (rng.int(9)) {
      case 0:
        if (b.length > 0) b[at] = (b[at] as number) ^ (1 << rng.int(8));
        break;
      case 1:
        if (b.length > 0) b[at] = rng.pick(INTERESTING);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), rng.bytes(1 + rng.int(16)), b.subarray(at)]);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + rng.int(32)))]);
        break;
      case 4: {
        const len = 1 + rng.int(Math.max(1, Math.min(64, b.length - at)));
        b = Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at)]);
        break;
      }
      case 5:
        // An overlong or huge varint (a length prefix claiming far more than the body holds).
        b = Buffer.concat([
          b.subarray(0, at),
          Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
          b.subarray(at + 1),
        ]);
        break;
      case 6:
        b = b.subarray(0, at);
        break;
      case 7:
        if (partner && partner.length > 0)
          b = Buffer.concat([b.subarray(0, at), partner.subarray(rng.int(partner.length))]);
        break;
      default:
        if (b.length > 1) {
          const len = Math.min(b.length - at, 1 + rng.int(8));
          for (let i = 0; i < len; i++) b[at + i] = rng.int(256);
        }
    }
  }
  return b;
}
