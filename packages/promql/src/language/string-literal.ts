import { PromqlParseError } from './errors.ts';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/**
 * Unquotes a PromQL string literal as Go's `strconv.Unquote` does: `"..."` and `'...'` with Go escapes
 * (`\n`, `\xFF`, `\u1234`, `\U00012345`, octal `\377`), backquoted raw strings without escapes.
 * @example unquoteString('"a\\tb"') // 'a\tb'
 */
export function unquoteString(literal: string): string {
  const quote = literal[0];
  if (literal.length < 2 || literal[literal.length - 1] !== quote) {
    throw new PromqlParseError(`unterminated quoted string ${literal}`);
  }
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  let out = '';
  const bytes: number[] = [];
  const flushBytes = () => {
    if (bytes.length > 0) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      flushBytes();
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new PromqlParseError(`invalid escape in ${literal}`);
    if (e in SIMPLE_ESCAPES) {
      flushBytes();
      out += SIMPLE_ESCAPES[e];
    } else if (e === quote) {
      flushBytes();
      out += e;
    } else if (e === 'x' || /[0-7]/.test(e)) {
      const hex = e === 'x';
      const digits = hex ? body.slice(i + 1, i + 3) : body.slice(i, i + 3);
      if (!(hex ? /^[0-9a-fA-F]{2}$/ : /^[0-7]{3}$/).test(digits)) {
        throw new PromqlParseError(`invalid escape in ${literal}`);
      }
      const value = Number.parseInt(digits, hex ? 16 : 8);
      if (value > 255) throw new PromqlParseError(`invalid escape in ${literal}`);
      bytes.push(value);
      i += hex ? 2 : 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const digits = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) {
        throw new PromqlParseError(`invalid escape in ${literal}`);
      }
      flushBytes();
      out += String.fromCodePoint(Number.parseInt(digits, 16));
      i += n;
    } else {
      throw new PromqlParseError(`unknown escape sequence \\${e} in ${literal}`);
    }
  }
  flushBytes();
  return out;
}
