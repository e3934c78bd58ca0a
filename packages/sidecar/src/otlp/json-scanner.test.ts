import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedBodyError } from '../plugin-api/errors.ts';
import { JsonScanner } from './json-scanner.ts';

/** Whether the scanner reads `text` as exactly one JSON value. */
function scans(text: string): boolean {
  const s = new JsonScanner(text);
  try {
    s.skipValue();
    s.end();
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedBodyError);
    return false;
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Raw control characters inside strings are the one thing the scanner accepts and JSON.parse does not. */
const hasControl = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20);

describe('JsonScanner', () => {
  it('accepts exactly the JSON that JSON.parse accepts (valid, and mutated)', () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.string({ unit: 'binary-ascii', maxLength: 2 }), fc.nat({ max: 2 }))
      .map(([text, at, insert, remove]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + remove);
      });
    const pretty = fc
      .json()
      .map((text) => JSON.stringify(JSON.parse(text), null, '\t').replaceAll('\t', ' \t\r'));
    fc.assert(
      fc.property(fc.oneof(fc.json(), pretty, mutated), (text) => {
        const scanned = scans(text);
        const parsed = parses(text);
        // What JSON.parse accepts the scanner accepts; it accepts more only for raw control characters.
        if (parsed) expect(scanned).toBe(true);
        else if (scanned) expect(hasControl(text)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('reads strings with escapes, numbers as source text and literals', () => {
    const s = new JsonScanner(' {"a\\"b":["x\\u00e9\\n", -1.5e3, 12345678901234567890, true, false, null]} ');
    expect(s.objectStart()).toBe(true);
    expect(s.key()).toBe('a"b');
    expect(s.arrayStart()).toBe(true);
    expect(s.string()).toBe('xé\n');
    expect(s.arrayNext()).toBe(true);
    expect(s.numberText()).toBe('-1.5e3');
    s.arrayNext();
    expect(s.numberText()).toBe('12345678901234567890');
    s.arrayNext();
    expect(s.bool()).toBe(true);
    s.arrayNext();
    expect(s.bool()).toBe(false);
    s.arrayNext();
    expect(s.null()).toBe(true);
    expect(s.arrayNext()).toBe(false);
    expect(s.objectNext()).toBe(false);
    s.end();
  });

  it('keeps reading escaped strings right after jumping back (seek)', () => {
    const s = new JsonScanner('["a\\\\", "b\\"c", "d"]');
    s.arrayStart();
    const first = s.pos;
    s.skipValue();
    s.arrayNext();
    s.skipValue();
    s.seek(first);
    expect(s.string()).toBe('a\\');
    s.arrayNext();
    expect(s.string()).toBe('b"c');
    s.arrayNext();
    expect(s.string()).toBe('d');
  });

  it('refuses nesting deeper than 512 levels with a MalformedBodyError', () => {
    expect(() => new JsonScanner(`${'['.repeat(600)}${']'.repeat(600)}`).skipValue()).toThrow(
      /nested deeper/,
    );
    expect(scans(`${'['.repeat(500)}${']'.repeat(500)}`)).toBe(true);
  });
});
