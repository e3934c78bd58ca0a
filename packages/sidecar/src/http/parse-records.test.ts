import { describe, expect, it } from 'vitest';
import { MalformedBodyError, UnsupportedMediaTypeError } from '../plugin-api/errors.ts';
import { parseRecords, recordFormat } from './parse-records.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('recordFormat', () => {
  it('maps JSON and NDJSON media types, ignoring parameters and case', () => {
    expect(recordFormat('application/json; charset=utf-8')).toBe('json');
    expect(recordFormat('Application/X-NDJSON')).toBe('ndjson');
    expect(recordFormat('application/jsonl')).toBe('ndjson');
  });

  it('refuses other or missing types', () => {
    for (const t of [undefined, '', 'text/plain', 'application/json-patch+json', 'multipart/form-data']) {
      expect(() => recordFormat(t), String(t)).toThrow(UnsupportedMediaTypeError);
    }
  });
});

describe('parseRecords', () => {
  it('parses a JSON array and NDJSON lines', () => {
    expect(parseRecords(bytes('[{"a":1},{"a":2}]'), 'json')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseRecords(bytes('{"a":1}\r\n\n  \n{"a":2}'), 'ndjson')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseRecords(bytes(''), 'ndjson')).toEqual([]);
  });

  it('names the bad line and refuses non-arrays and invalid UTF-8', () => {
    expect(() => parseRecords(bytes('{"a":1}\n\n{"a":'), 'ndjson')).toThrow(/^line 3 is not valid JSON/);
    expect(() => parseRecords(bytes('{"a":1}'), 'json')).toThrow('the body must be a JSON array of records');
    expect(() => parseRecords(new Uint8Array([0xc3, 0x28]), 'json')).toThrow(MalformedBodyError);
  });
});
