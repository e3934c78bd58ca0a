import type { PointBase, TemporalityCode } from '@duckside/core/ingest';
import { decodeInOneOrTwoPasses, JsonEnvelopeDecoder, type ObjectShape } from './json-envelope-decoder.ts';
import type { NanosCache } from './json-field-reader.ts';
import { Char } from './json-scanner.ts';
import { doubleJson, exemplarJson } from './json-text.ts';
import { type DecodedMetrics, PointSink } from './point-sink.ts';

const TEMPORALITY_NAMES = [
  'AGGREGATION_TEMPORALITY_UNSPECIFIED',
  'AGGREGATION_TEMPORALITY_DELTA',
  'AGGREGATION_TEMPORALITY_CUMULATIVE',
] as const;
const Kind = { Gauge: 0, Sum: 1, Histogram: 2, ExpHistogram: 3, Summary: 4 } as const;
type KindCode = (typeof Kind)[keyof typeof Kind];
type Distribution = PointBase & { count: number; sum: number | null; min: number | null; max: number | null };
const DATA_KEYS: Record<string, KindCode> = {
  gauge: Kind.Gauge,
  sum: Kind.Sum,
  histogram: Kind.Histogram,
  exponentialHistogram: Kind.ExpHistogram,
  summary: Kind.Summary,
};

const METRIC: ObjectShape = { data: Object.keys(DATA_KEYS), context: ['name', 'description', 'unit'] };
const METRIC_DATA: ObjectShape = { data: ['dataPoints'], context: ['aggregationTemporality', 'isMonotonic'] };

const COUNT_RANGE = 'count beyond 2^53';
const NO_VALUE = 'number data point without a value';

/**
 * Decodes an OTLP/JSON `ExportMetricsServiceRequest` into core's columnar `MetricBatch` with a pull scanner:
 * no object tree is built, 64-bit integers keep every digit (as strings or numbers), enums are read as
 * numbers or names, trace and span ids as hex, and unknown fields are skipped. Attribute lists that repeat
 * are decoded once per request. Fields are read in one pass when context comes before data (as the
 * OpenTelemetry JS SDK writes them); a context field after its data (e.g. `aggregationTemporality` after
 * `dataPoints`) makes the decoder read the request again, looking ahead. Bad JSON or a wrongly typed
 * structure is malformed; a data point with a wrongly typed value is rejected on its own.
 * @throws MalformedBodyError
 * @example
 * const { batch } = decodeJsonMetrics('{"resourceMetrics":[]}'); // batch.size === 0
 */
export function decodeJsonMetrics(text: string): DecodedMetrics {
  return decodeInOneOrTwoPasses((lookAhead) => new JsonMetricsDecoder(text, lookAhead).decode());
}

const NAMES = { resources: 'resourceMetrics', scopes: 'scopeMetrics', items: 'metrics' };

class JsonMetricsDecoder extends JsonEnvelopeDecoder {
  private readonly sink = new PointSink();
  private readonly split = { micros: 0, nanos: 0 };
  private readonly boundsCache = new Map<string, number[]>();
  private readonly timeCache: NanosCache = { source: '', micros: 0, nanos: 0 };
  private readonly startCache: NanosCache = { source: '', micros: 0, nanos: 0 };
  /** Whether the current point has a count that does not fit a safe integer. */
  private tooBig = false;

  constructor(text: string, lookAhead: boolean) {
    super(text, lookAhead, NAMES);
  }

  decode(): DecodedMetrics {
    this.walk();
    return this.sink.result();
  }

  protected enterResource(resource: string, service: string | null): void {
    this.sink.series.resource = resource;
    this.sink.series.service = service;
  }

  protected enterScope(scope: string): void {
    this.sink.series.scope = scope;
  }

  /** `Metric`: name, description, unit and one data field. */
  protected item(): void {
    const series = this.sink.series;
    series.name = '';
    series.description = '';
    series.unit = '';
    this.contextual('metrics', METRIC, {
      context: (key) => {
        series[key as 'name' | 'description' | 'unit'] = this.r.str(`metric.${key}`);
      },
      apply: () => undefined,
      data: (key) => this.data(DATA_KEYS[key]!),
    });
  }

  /** `Gauge`, `Sum`, `Histogram`, `ExponentialHistogram` or `Summary`: aggregationTemporality, isMonotonic, dataPoints. */
  private data(kind: KindCode): void {
    const r = this.r;
    const sink = this.sink;
    let temporality = 0;
    let monotonic = false;
    let problem = '';
    this.contextual('metric data', METRIC_DATA, {
      context: (key) => {
        if (key === 'isMonotonic') monotonic = r.flag(key);
        else temporality = r.enumValue(key, TEMPORALITY_NAMES);
      },
      apply: () => {
        problem = sink.metricProblem(temporality);
        sink.beginMetric(kind === Kind.Gauge, temporality as TemporalityCode, monotonic);
      },
      data: () => this.each('dataPoints', () => this.point(kind, problem)),
    });
  }

  /** Reads one data point and stores it, or counts it as rejected (all of them when its metric has a `problem`). */
  private point(kind: KindCode, problem: string): void {
    const sink = this.sink;
    const name = sink.series.name;
    if (problem) {
      this.r.skipValue();
      sink.reject(problem, name);
      return;
    }
    let reason: string;
    switch (kind) {
      case Kind.Gauge:
      case Kind.Sum:
        reason = this.numberPoint();
        if (!reason) sink.batch.pushScalar(sink.series, sink.scalar);
        break;
      case Kind.Histogram:
        reason = this.histogramPoint();
        if (!reason) sink.batch.pushHistogram(sink.series, sink.histogram);
        break;
      case Kind.ExpHistogram:
        reason = this.expHistogramPoint();
        if (!reason) sink.batch.pushExpHistogram(sink.series, sink.expHistogram);
        break;
      default:
        reason = this.summaryPoint();
        if (!reason) sink.batch.pushSummary(sink.series, sink.summary);
    }
    if (reason) sink.reject(reason, name);
  }

  private numberPoint(): string {
    const r = this.r;
    const p = this.sink.scalar;
    this.sink.resetBase(p);
    let hasValue = false;
    if (this.beginPoint()) {
      do {
        const key = r.key();
        if (key === 'asDouble' || key === 'asInt') {
          if (r.null()) continue;
          hasValue = true;
          if (key === 'asDouble') {
            p.value = r.double(key);
            p.valueInt = null;
          } else {
            p.valueInt = r.int64(key);
            p.value = Number(p.valueInt);
          }
        } else if (!this.baseField(p, key)) r.skipValue();
      } while (r.objectNext());
    }
    return this.pointReason(p) || (hasValue ? '' : NO_VALUE);
  }

  private histogramPoint(): string {
    return this.members(this.sink.nextHistogram(), this.histogramKey);
  }

  private expHistogramPoint(): string {
    return this.members(this.sink.nextExpHistogram(), this.expHistogramKey);
  }

  private summaryPoint(): string {
    return this.members(this.sink.nextSummary(), this.summaryKey);
  }

  /**
   * Reads the members of a data point: its kind's own keys through `own` (true when it read the value), the
   * fields every kind has through `baseField`, and skips the rest. Returns why the point cannot be stored.
   */
  private members(p: PointBase, own: (key: string) => boolean): string {
    const r = this.r;
    if (this.beginPoint()) {
      do {
        const key = r.key();
        if (!own(key) && !this.baseField(p, key)) r.skipValue();
      } while (r.objectNext());
    }
    return this.pointReason(p);
  }

  /** `HistogramDataPoint`'s own keys. */
  private readonly histogramKey = (key: string): boolean => {
    const p = this.sink.histogram;
    if (key === 'bucketCounts') p.bucketCounts = this.counts(key);
    else if (key === 'explicitBounds') p.explicitBounds = this.bounds(key);
    else return this.distributionKey(p, key);
    return true;
  };

  /** `ExponentialHistogramDataPoint`'s own keys. */
  private readonly expHistogramKey = (key: string): boolean => {
    const p = this.sink.expHistogram;
    if (key === 'scale') p.scale = this.r.int32(key);
    else if (key === 'zeroCount') p.zeroCount = this.count(key);
    else if (key === 'zeroThreshold') p.zeroThreshold = this.r.double(key);
    else if (key === 'positive' || key === 'negative') this.buckets(key);
    else return this.distributionKey(p, key);
    return true;
  };

  /** `SummaryDataPoint`'s own keys. */
  private readonly summaryKey = (key: string): boolean => {
    const p = this.sink.summary;
    if (key === 'count') p.count = this.count(key);
    else if (key === 'sum') p.sum = this.r.double(key);
    else if (key === 'quantileValues') this.quantiles(p.quantiles, p.quantileValues);
    else return false;
    return true;
  };

  private quantiles(quantiles: number[], values: number[]): void {
    const r = this.r;
    if (!this.itemsStart('quantileValues')) return;
    do {
      let q = 0;
      let v = 0;
      if (this.objectStart('quantileValues')) {
        do {
          const k = r.key();
          if (k === 'quantile') q = r.double('quantile');
          else if (k === 'value') v = r.double('value');
          else r.skipValue();
        } while (r.objectNext());
      }
      quantiles.push(q);
      values.push(v);
    } while (r.arrayNext());
  }

  /** Clears what the decoder tracks per point and opens the point's object (false when it has no members). */
  private beginPoint(): boolean {
    this.r.clearProblem();
    this.tooBig = false;
    return this.objectStart('dataPoints');
  }

  /** The keys histograms and exponential histograms share: count, sum, min and max. */
  private distributionKey(p: Distribution, key: string): boolean {
    if (key === 'count') p.count = this.count(key);
    else if (key === 'sum' || key === 'min' || key === 'max') p[key] = this.r.optionalDouble(key);
    else return false;
    return true;
  }

  /** The fields every point kind has; false for another key. */
  private baseField(p: PointBase, key: string): boolean {
    const r = this.r;
    const split = this.split;
    switch (key) {
      case 'timeUnixNano':
        r.nanos(key, split, this.timeCache);
        p.timeMicros = split.micros;
        p.timeNanos = split.nanos;
        return true;
      case 'startTimeUnixNano':
        r.nanos(key, split, this.startCache);
        p.startMicros = split.micros;
        p.startNanos = split.nanos;
        return true;
      case 'attributes':
        p.attributes = this.attrs.list(key, 'symbol', true);
        p.symbol = this.attrs.promoted;
        return true;
      case 'flags':
        p.flags = r.int32(key) >>> 0;
        return true;
      case 'exemplars':
        p.exemplars = this.exemplars();
        return true;
      default:
        return false;
    }
  }

  private pointReason(p: PointBase): string {
    return this.r.problem || this.sink.checkTimes(p) || (this.tooBig ? COUNT_RANGE : '');
  }

  /** `Buckets` of an exponential histogram: offset and bucketCounts. */
  private buckets(which: 'positive' | 'negative'): void {
    const r = this.r;
    const e = this.sink.expHistogram;
    if (!this.objectStart(which)) return;
    do {
      const key = r.key();
      if (key === 'offset') {
        const offset = r.int32(`${which}.offset`);
        if (which === 'positive') e.positiveOffset = offset;
        else e.negativeOffset = offset;
      } else if (key === 'bucketCounts') {
        const counts = this.counts(`${which}.bucketCounts`);
        if (which === 'positive') e.positiveBucketCounts = counts;
        else e.negativeBucketCounts = counts;
      } else r.skipValue();
    } while (r.objectNext());
  }

  private count(field: string): number {
    const n = this.r.uint64(field);
    if (n < 0) this.tooBig = true;
    return n;
  }

  private counts(field: string): number[] {
    const out: number[] = [];
    if (this.itemsStart(field)) {
      do out.push(this.count(field));
      while (this.r.arrayNext());
    }
    return out;
  }

  /**
   * Explicit bounds, shared between the points that spell them alike (every point of a histogram metric
   * usually has the same bounds): one array per distinct source text.
   */
  private bounds(field: string): number[] {
    const r = this.r;
    if (r.peek() !== Char.OpenArray) return this.doubles(field);
    const start = r.pos;
    const close = r.text.indexOf(']', start);
    const source = r.text.slice(start, close + 1);
    const known = this.boundsCache.get(source);
    if (known !== undefined) {
      r.pos = close + 1;
      return known;
    }
    const problem = r.problem;
    const list = this.doubles(field);
    if (r.problem === problem && r.pos === close + 1) this.boundsCache.set(source, list);
    return list;
  }

  private doubles(field: string): number[] {
    const out: number[] = [];
    if (this.itemsStart(field)) {
      do out.push(this.r.double(field));
      while (this.r.arrayNext());
    }
    return out;
  }

  /** `exemplars` as core's exemplar JSON text, or null for none. */
  private exemplars(): string | null {
    const r = this.r;
    let out = '';
    if (!this.itemsStart('exemplars')) return null;
    do {
      let time = '0';
      let value = 'null';
      let traceId = '';
      let spanId = '';
      let attributes = '{}';
      if (this.objectStart('exemplars')) {
        do {
          switch (r.key()) {
            case 'timeUnixNano':
              r.nanos('exemplars.timeUnixNano', this.split);
              time = (BigInt(this.split.micros) * 1000n + BigInt(this.split.nanos)).toString();
              break;
            case 'asDouble':
              if (!r.null()) value = doubleJson(r.double('exemplars.asDouble'));
              break;
            case 'asInt':
              if (!r.null()) value = r.int64('exemplars.asInt').toString();
              break;
            case 'traceId':
              traceId = r.hex('exemplars.traceId');
              break;
            case 'spanId':
              spanId = r.hex('exemplars.spanId');
              break;
            case 'filteredAttributes':
              attributes = this.attrs.list('exemplars.filteredAttributes', '', false);
              break;
            default:
              r.skipValue();
          }
        } while (r.objectNext());
      }
      const text = exemplarJson(time, value, traceId, spanId, attributes);
      out = out === '' ? text : `${out},${text}`;
    } while (r.arrayNext());
    return `[${out}]`;
  }
}
