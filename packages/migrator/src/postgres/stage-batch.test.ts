import { describe, expect, it } from 'vitest';
import { copyStream } from '../../test/copy-stream.ts';
import { MappingError } from '../errors/errors.ts';
import { BinaryCopyParser } from './binary-copy-parser.ts';
import { readTimestampMicros } from './pg-values.ts';
import { StageBatch, type StageLayout } from './stage-batch.ts';

const PG_EPOCH_MICROS = 946_684_800_000_000;

function timestamp(micros: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(BigInt(micros - PG_EPOCH_MICROS));
  return bytes;
}

function float8(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleBE(value);
  return bytes;
}

/** Binary jsonb: a version byte, then the text. */
const jsonb = (text: string) => Buffer.concat([Buffer.from([1]), Buffer.from(text)]);

/** ts, value, then the key fields name (required), symbol and labels (jsonb). */
const LAYOUT: StageLayout = {
  fields: [
    { name: 'ts', type: 'timestamp', required: true },
    { name: 'value', type: 'double', required: true },
    { name: 'name', type: 'text', required: true },
    { name: 'symbol', type: 'text', required: false },
    { name: 'attributes', type: 'json', required: false },
  ],
  keyFrom: 2,
};

function stage(rows: (Buffer | string | null)[][], chunkSize = 7): StageBatch {
  const batch = new StageBatch(LAYOUT);
  const parser = new BinaryCopyParser(LAYOUT.fields.length, (buffer, starts, lengths) =>
    batch.add(buffer, starts, lengths, readTimestampMicros(buffer, starts[0] as number) as number),
  );
  const stream = copyStream(rows);
  for (let at = 0; at < stream.length; at += chunkSize) parser.write(stream.subarray(at, at + chunkSize));
  parser.end();
  return batch;
}

describe('StageBatch', () => {
  const t0 = 1_704_067_200_000_000;

  it('stages one key per distinct tuple of key fields, NULLs included, and their texts once', () => {
    const rows = [
      [timestamp(t0), float8(1.5), 'fill_ratio', 'BTC/USD', jsonb('{"venue": "kraken"}')],
      [timestamp(t0 + 1), float8(2), 'fill_ratio', null, jsonb('{"venue": "kraken"}')],
      [timestamp(t0 + 2), float8(3), 'fill_ratio', 'BTC/USD', jsonb('{"venue": "kraken"}')],
      // Same bytes moved from symbol into name: another key.
      [timestamp(t0 + 3), float8(4), 'fill_ratioBTC/USD', '', jsonb('{"venue": "kraken"}')],
      [timestamp(t0 + 4), float8(5), 'fill_ratio', null, null],
    ];
    const batch = stage(rows);
    const table = batch.stageTable();
    expect(table.spec.map((c) => c.name)).toEqual(['f0', 'f1', 'k']);
    expect(table.columns).toEqual([
      [t0, t0 + 1, t0 + 2, t0 + 3, t0 + 4],
      [1.5, 2, 3, 4, 5],
      [0, 1, 0, 2, 3],
    ]);
    expect(batch.lastMicros).toBe(t0 + 4);
    const dict = batch.dictTable();
    const entries = dict.columns[0]!.map((f, i) => [f, dict.columns[1]![i], dict.columns[2]![i]]);
    expect(entries).toEqual([
      [2, 0, 'fill_ratio'],
      [3, 0, 'BTC/USD'],
      [4, 0, '{"venue": "kraken"}'],
      [2, 1, 'fill_ratio'],
      [4, 1, '{"venue": "kraken"}'],
      [2, 2, 'fill_ratioBTC/USD'],
      [3, 2, ''],
      [4, 2, '{"venue": "kraken"}'],
      [2, 3, 'fill_ratio'],
    ]);
  });

  it('tells apart thousands of keys that differ in one byte', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [
      timestamp(t0 + i),
      float8(i),
      'depth',
      'ETH/USD',
      jsonb(`{"level": ${i % 2500}}`),
    ]);
    const keys = stage(rows, 4096).stageTable().columns[2] as number[];
    expect(new Set(keys).size).toBe(2500);
    expect(keys.slice(0, 3)).toEqual([0, 1, 2]);
    expect(keys.slice(2500, 2503)).toEqual([0, 1, 2]);
  });

  it('names the first row that lacks a required field, key field or not', () => {
    const missingName = [
      [timestamp(t0), float8(1), 'spread_bps', 'SOL/USD', null],
      [timestamp(t0 + 5), float8(1), null, 'SOL/USD', null],
      [timestamp(t0 + 6), null, 'spread_bps', 'SOL/USD', null],
    ];
    expect(() => stage(missingName)).toThrow(MappingError);
    expect(() => stage(missingName)).toThrow(
      /row at 2024-01-01T00:00:00.000005Z has no value for required field name/,
    );
    const missingValue = [missingName[0]!, missingName[2]!, missingName[1]!];
    expect(() => stage(missingValue)).toThrow(
      /row at 2024-01-01T00:00:00.000006Z has no value for required field value/,
    );
  });
});
