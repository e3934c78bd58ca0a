/** A label set: label name to value (no empty values). */
export type Labels = Record<string, string>;

/** One series of an instant vector: labels and one sample. Times in ms. */
export interface VectorSample {
  metric: Labels;
  time: number;
  value: number;
}

/** One series of a range result: labels and samples in time order. Times in ms. */
export interface MatrixSeries {
  metric: Labels;
  values: [time: number, value: number][];
}

/**
 * The result of a PromQL evaluation, typed as the Prometheus HTTP API's `data` (times in ms here; see
 * {@link toPrometheusData} for the wire form).
 */
export type PromqlResult =
  | { resultType: 'vector'; result: VectorSample[] }
  | { resultType: 'matrix'; result: MatrixSeries[] }
  | { resultType: 'scalar'; result: [time: number, value: number] }
  | { resultType: 'string'; result: [time: number, value: string] };

/**
 * A sample value as Prometheus writes it (Go's `strconv.FormatFloat(v, 'f', -1, 64)`): shortest decimal that
 * reads back equal, never an exponent; `NaN`, `+Inf`, `-Inf`.
 * @example formatSampleValue(1e21) // '1000000000000000000000'
 */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Object.is(value, -0)) return '-0';
  const text = String(value);
  const e = text.indexOf('e');
  if (e < 0) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const exponent = Number(text.slice(e + 1));
  const [intPart, fracPart = ''] = mantissa.split('.') as [string, string?];
  const digits = intPart + fracPart;
  const point = intPart.length + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/**
 * A sample time as Prometheus writes it: unix seconds as a JSON number with up to 3 decimals.
 * @example formatSampleTime(1_700_000_000_500) // 1700000000.5
 */
export function formatSampleTime(ms: number): number {
  return ms / 1000;
}

/** The `data` object of a Prometheus query response (`{resultType, result}`), values as strings. */
export type PrometheusData =
  | { resultType: 'vector'; result: { metric: Labels; value: [number, string] }[] }
  | { resultType: 'matrix'; result: { metric: Labels; values: [number, string][] }[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };

/**
 * The result in the Prometheus HTTP API's form: times in seconds, values as Prometheus-formatted strings.
 * @example JSON.stringify({ status: 'success', data: toPrometheusData(result) })
 */
export function toPrometheusData(r: PromqlResult): PrometheusData {
  switch (r.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: r.result.map((s) => ({
          metric: s.metric,
          value: [formatSampleTime(s.time), formatSampleValue(s.value)],
        })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: r.result.map((s) => ({
          metric: s.metric,
          values: s.values.map(([t, v]) => [formatSampleTime(t), formatSampleValue(v)] as [number, string]),
        })),
      };
    case 'scalar':
      return {
        resultType: 'scalar',
        result: [formatSampleTime(r.result[0]), formatSampleValue(r.result[1])],
      };
    case 'string':
      return { resultType: 'string', result: [formatSampleTime(r.result[0]), r.result[1]] };
  }
}
