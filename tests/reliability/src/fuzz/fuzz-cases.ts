import { gzipSync } from 'node:zlib';
import { mutateBytes } from './byte-mutator.ts';
import { mutateJson } from './json-mutator.ts';
import type { OtlpSeeds } from './otlp-seeds.ts';
import type { Random } from './random.ts';

/** One fuzzed request. */
export interface FuzzCase {
  /** How it was made: `seed`, `proto-bytes`, `json-bytes`, `json-tree`, `random`, `foreign-type`. */
  strategy: string;
  body: Buffer;
  contentType: string;
  /** `gzip` when the body is compressed (possibly corrupted after compression), else undefined. */
  contentEncoding?: 'gzip';
  /** The status the case must get when it is certain (valid seeds 200, foreign content types 415). */
  expected?: number;
}

const PROTO = 'application/x-protobuf';
const JSON_TYPE = 'application/json';
const FOREIGN_TYPES = [
  'text/plain',
  'application/octet-stream',
  'multipart/form-data; boundary=x',
  'application/xml',
];
const ODD_SPELLINGS = [
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/x-protobuf; proto=x',
];

/**
 * The fuzzer's case generator: valid seeds, byte mutations of protobuf and JSON seeds, structural JSON mutations,
 * random bytes and foreign content types; each gzipped with probability 0.4 (and then sometimes corrupted).
 * @example
 * const cases = new FuzzCases(otlpSeeds(), new Random(7));
 * const c = cases.next();
 */
export class FuzzCases {
  constructor(
    private readonly seeds: OtlpSeeds,
    private readonly rng: Random,
  ) {}

  next(): FuzzCase {
    const c = this.make();
    if (!this.rng.chance(0.4)) return c;
    let body: Buffer = gzipSync(c.body, { level: 1 });
    if (this.rng.chance(0.1)) {
      body = mutateBytes(this.rng, body);
      return { ...c, body, contentEncoding: 'gzip', strategy: `${c.strategy}+bad-gzip`, expected: undefined };
    }
    return { ...c, body, contentEncoding: 'gzip' };
  }

  private make(): FuzzCase {
    const { rng, seeds } = this;
    const roll = rng.next();
    if (roll < 0.05) {
      const proto = rng.chance(0.5);
      const body = rng.pick(proto ? seeds.protobuf : seeds.json);
      return { strategy: 'seed', body, contentType: proto ? PROTO : JSON_TYPE, expected: 200 };
    }
    if (roll < 0.45) {
      const body = mutateBytes(rng, rng.pick(seeds.protobuf), rng.pick(seeds.protobuf));
      return { strategy: 'proto-bytes', body, contentType: this.type(PROTO) };
    }
    if (roll < 0.6) {
      const body = mutateBytes(rng, rng.pick(seeds.json), rng.pick(seeds.json));
      return { strategy: 'json-bytes', body, contentType: this.type(JSON_TYPE) };
    }
    if (roll < 0.9) {
      const body = Buffer.from(mutateJson(rng, rng.pick(seeds.json).toString('utf8')));
      return { strategy: 'json-tree', body, contentType: this.type(JSON_TYPE) };
    }
    if (roll < 0.97) {
      return {
        strategy: 'random',
        body: rng.bytes(rng.int(2048)),
        contentType: rng.chance(0.5) ? PROTO : JSON_TYPE,
      };
    }
    const body = rng.pick(rng.chance(0.5) ? seeds.protobuf : seeds.json);
    return { strategy: 'foreign-type', body, contentType: rng.pick(FOREIGN_TYPES), expected: 415 };
  }

  /** The family's content type, sometimes spelled differently or swapped with the other family's. */
  private type(family: string): string {
    if (this.rng.chance(0.9)) return family;
    if (this.rng.chance(0.5)) return family === PROTO ? JSON_TYPE : PROTO;
    return this.rng.pick(ODD_SPELLINGS);
  }
}
