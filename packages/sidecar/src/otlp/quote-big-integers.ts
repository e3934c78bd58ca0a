/** A bare integer literal of 16 or more digits: it may not survive `JSON.parse` exactly. */
const MAY_HAVE_BIG_INTEGER = /[:,[]\s*-?\d{16}/;
const STRING_OR_BIG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\w.+-])-?\d{16,}(?![\d.eE])/g;

/**
 * Wraps bare JSON integer literals of 16 or more digits in quotes, so that `JSON.parse` keeps every digit of
 * 64-bit values that senders wrote as numbers (the OTLP/JSON readers accept numbers given as strings).
 * Text inside strings is left alone; most requests have no such literal and are returned unchanged.
 * @example quoteBigIntegers('{"asInt":9007199254740993}') // '{"asInt":"9007199254740993"}'
 */
export function quoteBigIntegers(text: string): string {
  if (!MAY_HAVE_BIG_INTEGER.test(text)) return text;
  return text.replace(STRING_OR_BIG_INTEGER, (match) => (match.charCodeAt(0) === 34 ? match : `"${match}"`));
}
