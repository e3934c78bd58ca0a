/*
 * OTLP -> Prometheus names, after the OpenTelemetry "Prometheus and OpenMetrics compatibility" specification.
 * The same rules exist twice on purpose: as TypeScript (for callers that map one name) and as SQL expressions
 * (the PromQL compiler derives the labels of stored series in the database). Both are built from the tables
 * below, and a test checks that they agree.
 */

/** OTLP units (UCUM case-sensitive) and their Prometheus suffix words. */
export const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
  '1': '',
};

/** Units after a `/` (`By/s` -> `bytes_per_second`). */
export const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** What kind of OTLP metric a series is, as far as its Prometheus name is concerned. */
export interface OtlpMetricShape {
  name: string;
  /** OTLP unit ('' for none). */
  unit: string;
  /** `gauge`, `sum` (monotonic or not), `histogram` or `summary`. */
  type: 'gauge' | 'sum' | 'histogram' | 'summary';
  /** For sums: monotonic. */
  monotonic?: boolean;
}

/**
 * Sanitizes a metric name: each run of characters outside `[a-zA-Z0-9_:]` becomes one `_`, and a leading digit
 * gets a `_` in front.
 * @example sanitizeMetricName('http.server.duration') // 'http_server_duration'
 */
export function sanitizeMetricName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_:]+/g, '_');
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

/**
 * Sanitizes a label name: each run of characters outside `[a-zA-Z0-9_]` becomes one `_`, and a leading digit
 * gets `key_` in front.
 * @example sanitizeLabelName('http.method') // 'http_method'
 */
export function sanitizeLabelName(name: string): string {
  const s = name.replace(/[^a-zA-Z0-9_]+/g, '_');
  return /^[0-9]/.test(s) ? `key_${s}` : s;
}

/**
 * The Prometheus suffix of an OTLP unit: `{...}` annotations removed, known units spelled out, `a/b` as
 * `a_per_b`, unknown units sanitized; '' for none and for `1`.
 * @example unitSuffix('By/s') // 'bytes_per_second'
 */
export function unitSuffix(unit: string): string {
  const u = stripUnitAnnotations(unit);
  const slash = u.indexOf('/');
  const main = slash < 0 ? u : u.slice(0, slash);
  const per = slash < 0 ? '' : u.slice(slash + 1);
  const mainWord = main in UNIT_WORDS ? (UNIT_WORDS[main] as string) : sanitizeUnitWord(main);
  const perWord = per in PER_UNIT_WORDS ? (PER_UNIT_WORDS[per] as string) : sanitizeUnitWord(per);
  if (!perWord) return mainWord;
  return mainWord ? `${mainWord}_per_${perWord}` : `per_${perWord}`;
}

/** A unit without its `{...}` annotations, trimmed. */
function stripUnitAnnotations(unit: string): string {
  return unit.replace(/\{[^}]*\}/g, '').trim();
}

function sanitizeUnitWord(word: string): string {
  return word.replace(/[^a-zA-Z0-9_:]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * The Prometheus metric name of an OTLP metric (without `_bucket`/`_sum`/`_count` for histograms): sanitized
 * name, unit suffix unless the name already ends with it, `_total` for monotonic sums, `_ratio` for gauges of
 * unit `1`.
 * @example prometheusMetricName({ name: 'http.server.duration', unit: 's', type: 'histogram' }) // 'http_server_duration_seconds'
 */
export function prometheusMetricName(shape: OtlpMetricShape): string {
  let name = sanitizeMetricName(shape.name);
  const suffix = unitSuffix(shape.unit);
  if (suffix && !name.endsWith(`_${suffix}`) && name !== suffix) name += `_${suffix}`;
  if (shape.type === 'sum' && shape.monotonic && !name.endsWith('_total')) name += '_total';
  const ratio = shape.type === 'gauge' && stripUnitAnnotations(shape.unit) === '1';
  if (ratio && !name.endsWith('_ratio')) name += '_ratio';
  return name;
}
