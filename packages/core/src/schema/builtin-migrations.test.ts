import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SERIES_ID_OF_COLUMNS } from '../writers/series-identity.ts';
import { BUILTIN_MIGRATIONS } from './builtin-migrations.ts';
import { V4_SERIES_ID } from './metric-series-migration.ts';
import { checksumOf } from './migration-runner.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

// Released migrations are applied in the field: not a byte of their text may change (their checksums are stored).
const RELEASED = [
  {
    version: 1,
    name: 'create_metric_tables',
    checksum: '1ff0f6a17d26af8074b3fc2088a54dc793acf159a2456340a9d26ef9c8dd1b08',
    up: 'e639c95276ea697a8fb205023da1bb0a17893dfd3b6a1a81906cac02ac123710',
    down: '6d96692b945c2b768850396cd8d6fd70c53225842229a9b23bdf79b3f444ad9a',
  },
  {
    version: 2,
    name: 'create_trading_tables',
    checksum: '298353b33fc0ed30a51b0d2138c2c954b911b740a9b15730b89a9070787e5906',
    up: '36a0df9d68c2b7084a798aa56759e6d75d676e0daf2daf039bf9dc4bf04d4c48',
    down: '87e5f533b4d3dfcd318c9b5afec85f5922d82bcf8fea37cee6ac5da4f7962ec0',
  },
  {
    version: 3,
    name: 'create_import_watermarks',
    checksum: 'ef151e855841bd3c7c4932a71b9b838f30b81cabeb30b6c29c063159e7d4a8fb',
    up: '182a42f9ccd271c8928e3913788f3a9ef89fc5b206a9984451d85f566727ab5a',
    down: 'b9652fe8d5fc045668a585dab076df3ce74d83ff1caf57b7be749ab101b4e573',
  },
  {
    version: 4,
    name: 'normalize_metric_series',
    checksum: 'f129c0d5515bb5327167dbddecac4185a019eb3c580079eec73ba1d94635b629',
    up: '94aae13e9db2ff015bbb20c772b53b7e1201501e4dc9f2a6caa42690040f66e2',
    down: 'd1fe3ab9c22425fdbf2d5dafd647c43a2592c875eae7cbbff252d4b7c96426b6',
  },
];

describe('the released built-in migrations', () => {
  it('keep their names, checksums and up and down text byte for byte', () => {
    const now = BUILTIN_MIGRATIONS.slice(0, RELEASED.length).map((m) => ({
      version: m.version,
      name: m.name,
      checksum: checksumOf(m),
      up: sha256(m.up),
      down: sha256(m.down),
    }));
    expect(now).toEqual(RELEASED);
  });

  it("derive series ids in SQL as the writers' series id SQL does", () => {
    expect(V4_SERIES_ID).toBe(SERIES_ID_OF_COLUMNS);
  });
});
