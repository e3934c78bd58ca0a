import { MalformedBodyError, UnsupportedMediaTypeError } from '../plugin-api/errors.ts';

/** Body formats of the ingest endpoints. */
export type RecordFormat = 'json' | 'ndjson';

const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
  'application/jsonlines',
]);

/**
 * The record format named by a `Content-Type` header: `application/json` (a JSON array) or NDJSON
 * (`application/x-ndjson` and its aliases). Checked explicitly: anything else is refused.
 * @throws UnsupportedMediaTypeError (415) for a missing or other content type.
 * @example recordFormat('application/x-ndjson; charset=utf-8') // 'ndjson'
 */
export function recordFormat(contentType: string | undefined): RecordFormat {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') return 'json';
  if (NDJSON_TYPES.has(type)) return 'ndjson';
  throw new UnsupportedMediaTypeError(
    `content type ${type ? JSON.stringify(type) : '(none)'} is not supported: send application/json (an array of records) or application/x-ndjson (one record per line)`,
  );
}

/**
 * Parses a body into raw records: a JSON array, or NDJSON (one JSON value per line; blank lines are skipped).
 * The text must be UTF-8.
 * @throws MalformedBodyError (400) naming the line of the first bad JSON value.
 * @example parseRecords(Buffer.from('{"a":1}\n{"a":2}\n'), 'ndjson') // [{ a: 1 }, { a: 2 }]
 */
export function parseRecords(body: Uint8Array, format: RecordFormat): unknown[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (error) {
    throw new MalformedBodyError('the body is not valid UTF-8', { cause: error });
  }
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new MalformedBodyError(`the body is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!Array.isArray(value)) throw new MalformedBodyError('the body must be a JSON array of records');
    return value;
  }
  const records: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line.length === 0) continue;
    try {
      records.push(JSON.parse(line));
    } catch (error) {
      throw new MalformedBodyError(`line ${i + 1} is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return records;
}
