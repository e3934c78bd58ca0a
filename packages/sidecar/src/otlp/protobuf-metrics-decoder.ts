import type { HistogramPoint, PointBase, TemporalityCode } from '@duckside/core/ingest';
import { doubleJson, exemplarJson, hexOf, int64BigInt, int64Decimal, uint64Decimal } from './json-text.ts';
import { NanoWordsCache } from './nano-words-cache.ts';
import { mergeObjects, OtlpEnvelopeDecoder } from './otlp-envelope-decoder.ts';
import { type DecodedMetrics, PointSink } from './point-sink.ts';

/** Tags (field number << 3 | wire type) of the fields the decoder reads. */
const T = {
  len1: 0x0a,
  len2: 0x12,
  len3: 0x1a,
  varint1: 0x08,
  varint2: 0x10,
  varint3: 0x18,
  gauge: 0x2a,
  sum: 0x3a,
  histogram: 0x4a,
  expHistogram: 0x52,
  summary: 0x5a,
  startTime: 0x11,
  time: 0x19,
} as const;

/** Where a point kind has its attributes, exemplars and flags, and which method reads its own fields. */
interface PointLayout {
  attributes: number;
  exemplars: number;
  flags: number;
  field: (this: ProtobufMetricsDecoder, tag: number, end: number) => boolean;
}

const COUNT_RANGE = 'count beyond 2^53';
const NO_VALUE = 'number data point without a value';

/**
 * Decodes an OTLP `ExportMetricsServiceRequest` (protobuf) straight into core's columnar `MetricBatch`,
 * without building message objects: resource and scope JSON are made once per `ResourceMetrics` and
 * `ScopeMetrics`, points are decoded into one scratch object per kind, and attribute sets are decoded once per
 * distinct byte sequence. Points that cannot be stored are counted in `rejected`.
 * @throws MalformedBodyError when the bytes are not a valid message.
 * @example
 * const { batch, rejected } = decodeProtobufMetrics(new Uint8Array(body));
 * await db.writeMetricBatch(batch);
 */
export function decodeProtobufMetrics(bytes: Uint8Array): DecodedMetrics {
  return new ProtobufMetricsDecoder(bytes).decode();
}

class ProtobufMetricsDecoder extends OtlpEnvelopeDecoder {
  private readonly sink = new PointSink();
  private readonly times = new NanoWordsCache();
  private readonly starts = new NanoWordsCache();
  /** Words of the current point's start time and time. */
  private startLo = 0;
  private startHi = 0;
  private timeLo = 0;
  private timeHi = 0;
  /** Source range and array of the last packed explicit bounds. */
  private boundsStart = 0;
  private boundsEnd = 0;
  private bounds: number[] = [];
  /** Whether the current number point has a value. */
  private hasValue = false;
  /** Whether the current point holds a count that cannot be stored. */
  private tooBig = false;

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

  /** `Metric`: name (1), description (2), unit (3) and one of the data fields. */
  protected item(start: number, end: number): void {
    const r = this.r;
    const series = this.sink.series;
    series.name = '';
    series.description = '';
    series.unit = '';
    let dataTag = 0;
    let dataStart = 0;
    let dataEnd = 0;
    for (r.pos = start; r.pos < end; ) {
      const tag = r.varint32();
      switch (tag) {
        case T.len1:
        case T.len2:
        case T.len3: {
          const stop = r.lengthEnd(end);
          const text = r.text(r.pos, stop);
          if (tag === T.len1) series.name = text;
          else if (tag === T.len2) series.description = text;
          else series.unit = text;
          r.pos = stop;
          break;
        }
        case T.gauge:
        case T.sum:
        case T.histogram:
        case T.expHistogram:
        case T.summary:
          dataEnd = r.lengthEnd(end);
          dataStart = r.pos;
          dataTag = tag;
          r.pos = dataEnd;
          break;
        default:
          r.skip(tag);
      }
    }
    r.expectEnd(end);
    if (dataTag !== 0) this.data(dataTag, dataStart, dataEnd);
  }

  /** `Gauge`/`Sum`/`Histogram`/`ExponentialHistogram`/`Summary`: data_points (1), temporality (2), monotonic (3). */
  private data(kind: number, start: number, end: number): void {
    const r = this.r;
    let temporality = 0;
    let monotonic = false;
    let points = 0;
    for (r.pos = start; r.pos < end; ) {
      const tag = r.varint32();
      if (tag === T.len1) {
        r.pos = r.lengthEnd(end);
        points++;
      } else if (tag === T.varint2) {
        temporality = r.varint32();
      } else if (tag === T.varint3) {
        r.varint64();
        monotonic = r.lo !== 0 || r.hi !== 0;
      } else {
        r.skip(tag);
      }
    }
    r.expectEnd(end);
    const sink = this.sink;
    const problem = sink.metricProblem(temporality);
    if (problem) {
      sink.reject(problem, sink.series.name, points);
      return;
    }
    sink.beginMetric(kind === T.gauge, temporality as TemporalityCode, monotonic);
    for (r.pos = start; r.pos < end; ) {
      const tag = r.varint32();
      if (tag !== T.len1) {
        r.skip(tag);
        continue;
      }
      const stop = r.lengthEnd(end);
      this.point(kind, r.pos, stop);
      r.pos = stop;
    }
  }

  /**
   * One data point: the fields every kind has (start 2 and time 3, and attributes, exemplars and flags at
   * the kind's field numbers) here, the kind's own fields in `numberField`, `histogramField`,
   * `expHistogramField` or `summaryField`; then the point is stored or counted as rejected.
   */
  private point(kind: number, start: number, end: number): void {
    const r = this.r;
    const sink = this.sink;
    const layout = LAYOUTS[kind]!;
    const p =
      kind === T.histogram
        ? sink.nextHistogram()
        : kind === T.expHistogram
          ? sink.nextExpHistogram()
          : kind === T.summary
            ? sink.nextSummary()
            : sink.scalar;
    if (p === sink.scalar) sink.resetBase(p);
    this.tooBig = false;
    this.hasValue = false;
    this.startLo = 0;
    this.startHi = 0;
    this.timeLo = 0;
    this.timeHi = 0;
    for (r.pos = start; r.pos < end; ) {
      const tagPos = r.pos;
      const tag = r.varint32();
      if (tag === layout.attributes) this.pointAttributes(p, tagPos, tag, end);
      else if (tag === T.time) this.timeWords();
      else if (tag === T.startTime) this.startWords();
      else if (tag === layout.exemplars) this.exemplar(p, end);
      else if (tag === layout.flags) p.flags = r.varint32();
      else if (!layout.field.call(this, tag, end)) r.skip(tag);
    }
    r.expectEnd(end);
    const reason =
      this.finishPoint(p) || (kind === T.gauge || kind === T.sum ? (this.hasValue ? '' : NO_VALUE) : '');
    if (reason) sink.reject(reason, sink.series.name);
    else if (kind === T.histogram) sink.batch.pushHistogram(sink.series, sink.histogram);
    else if (kind === T.expHistogram) sink.batch.pushExpHistogram(sink.series, sink.expHistogram);
    else if (kind === T.summary) sink.batch.pushSummary(sink.series, sink.summary);
    else sink.batch.pushScalar(sink.series, sink.scalar);
  }

  /** `NumberDataPoint`: as_double (4), as_int (6). */
  numberField(tag: number): boolean {
    const r = this.r;
    const p = this.sink.scalar;
    if (tag === 0x21) {
      p.value = r.double();
      p.valueInt = null;
    } else if (tag === 0x31) {
      r.fixed64();
      p.valueInt = int64BigInt(r.lo, r.hi);
      p.value = Number(p.valueInt);
    } else {
      return false;
    }
    this.hasValue = true;
    return true;
  }

  /** `HistogramDataPoint`: count (4), sum (5), bucket_counts (6), explicit_bounds (7), min (11), max (12). */
  histogramField(tag: number, end: number): boolean {
    const r = this.r;
    const p = this.sink.histogram;
    switch (tag) {
      case 0x32:
        this.packedFixedCounts(p.bucketCounts, end);
        return true;
      case 0x31:
        p.bucketCounts.push(this.fixedCount());
        return true;
      case 0x3a:
        if (p.explicitBounds.length === 0) p.explicitBounds = this.packedBounds(end);
        else {
          const own = this.ownBounds(p);
          for (const bound of this.packedBounds(end)) own.push(bound);
        }
        return true;
      case 0x39:
        this.ownBounds(p).push(r.double());
        return true;
      default:
        return this.distributionField(p, tag, 0x59, 0x61);
    }
  }

  /** `ExponentialHistogramDataPoint`: count (4), sum (5), scale (6), zero_count (7), positive (8), negative (9), min (12), max (13), zero_threshold (14). */
  expHistogramField(tag: number, end: number): boolean {
    const r = this.r;
    const p = this.sink.expHistogram;
    switch (tag) {
      case 0x30:
        p.scale = zigzag(r.varint32());
        return true;
      case 0x39:
        p.zeroCount = this.fixedCount();
        return true;
      case 0x42:
        p.positiveOffset = this.buckets(p.positiveBucketCounts, end);
        return true;
      case 0x4a:
        p.negativeOffset = this.buckets(p.negativeBucketCounts, end);
        return true;
      case 0x71:
        p.zeroThreshold = r.double();
        return true;
      default:
        return this.distributionField(p, tag, 0x61, 0x69);
    }
  }

  /** `SummaryDataPoint`: count (4), sum (5), quantile_values (6). */
  summaryField(tag: number, end: number): boolean {
    const p = this.sink.summary;
    if (tag !== 0x32) return this.distributionField(p, tag, -1, -1);
    this.quantile(p.quantiles, p.quantileValues, end);
    return true;
  }

  /**
   * count (4, fixed64) and sum (5, double), at the same numbers in the three distribution kinds, and min and max
   * (doubles) at the kind's `minTag` and `maxTag` (-1 for summaries, which have neither).
   */
  private distributionField(
    p: { count: number; sum: number | null; min?: number | null; max?: number | null },
    tag: number,
    minTag: number,
    maxTag: number,
  ): boolean {
    if (tag === 0x21) p.count = this.fixedCount();
    else if (tag === 0x29) p.sum = this.r.double();
    else if (tag === minTag) p.min = this.r.double();
    else if (tag === maxTag) p.max = this.r.double();
    else return false;
    return true;
  }

  private startWords(): void {
    const r = this.r;
    r.fixed64();
    this.startLo = r.lo;
    this.startHi = r.hi;
  }

  private timeWords(): void {
    const r = this.r;
    r.fixed64();
    this.timeLo = r.lo;
    this.timeHi = r.hi;
  }

  /** Fills the point's times and returns why it cannot be stored ('' when it can). */
  private finishPoint(p: PointBase): string {
    const time = this.times.split(this.timeLo, this.timeHi);
    p.timeMicros = time.micros;
    p.timeNanos = time.nanos;
    if (this.startLo !== 0 || this.startHi !== 0) {
      const start = this.starts.split(this.startLo, this.startHi);
      p.startMicros = start.micros;
      p.startNanos = start.nanos;
    }
    if (p.exemplars !== null) p.exemplars += ']';
    return this.sink.checkTimes(p) || (this.tooBig ? COUNT_RANGE : '');
  }

  private pointAttributes(p: PointBase, tagPos: number, tag: number, end: number): void {
    const text = this.attrs.run(tagPos, tag, end, 'symbol', true);
    p.attributes = p.attributes === '{}' ? text : mergeObjects(p.attributes, text);
    if (this.attrs.promoted !== null) p.symbol = this.attrs.promoted;
  }

  /** A fixed64 count as a safe integer (flags the point when it is not). */
  private fixedCount(): number {
    this.r.fixed64();
    const n = this.r.safeUint();
    if (n < 0) this.tooBig = true;
    return n;
  }

  private packedFixedCounts(out: number[], end: number): void {
    const r = this.r;
    const stop = r.lengthEnd(end);
    while (r.pos < stop) out.push(this.fixedCount());
    r.expectEnd(stop);
  }

  /** The point's bounds as an array of its own (copied once if it is shared with earlier points). */
  private ownBounds(p: HistogramPoint): number[] {
    if (p.explicitBounds === this.bounds) p.explicitBounds = this.bounds.slice();
    return p.explicitBounds;
  }

  /**
   * Packed explicit bounds; a point whose bounds are byte for byte those of the previous point (as within a
   * histogram metric) shares its array.
   */
  private packedBounds(end: number): number[] {
    const r = this.r;
    const stop = r.lengthEnd(end);
    if (this.boundsEnd > 0 && r.sameBytes(this.boundsStart, this.boundsEnd, r.pos, stop)) {
      r.pos = stop;
      return this.bounds;
    }
    const start = r.pos;
    const out: number[] = [];
    while (r.pos < stop) out.push(r.double());
    r.expectEnd(stop);
    this.boundsStart = start;
    this.boundsEnd = stop;
    this.bounds = out;
    return out;
  }

  /** `Buckets`: offset (1, sint32), bucket_counts (2, uint64 packed or not). Returns the offset. */
  private buckets(out: number[], end: number): number {
    const r = this.r;
    const stop = r.lengthEnd(end);
    let offset = 0;
    while (r.pos < stop) {
      const tag = r.varint32();
      if (tag === T.varint1) {
        offset = zigzag(r.varint32());
      } else if (tag === T.len2) {
        const countsEnd = r.lengthEnd(stop);
        while (r.pos < countsEnd) out.push(this.varintCount());
        r.expectEnd(countsEnd);
      } else if (tag === T.varint2) {
        out.push(this.varintCount());
      } else {
        r.skip(tag);
      }
    }
    r.expectEnd(stop);
    return offset;
  }

  private varintCount(): number {
    this.r.varint64();
    const n = this.r.safeUint();
    if (n < 0) this.tooBig = true;
    return n;
  }

  /** `ValueAtQuantile`: quantile (1, double), value (2, double). */
  private quantile(quantiles: number[], values: number[], end: number): void {
    const r = this.r;
    const stop = r.lengthEnd(end);
    let q = 0;
    let v = 0;
    while (r.pos < stop) {
      const tag = r.varint32();
      if (tag === 0x09) q = r.double();
      else if (tag === 0x11) v = r.double();
      else r.skip(tag);
    }
    r.expectEnd(stop);
    quantiles.push(q);
    values.push(v);
  }

  /** `Exemplar`: filtered_attributes (7), time (2), as_double (3), span_id (4), trace_id (5), as_int (6). */
  private exemplar(p: PointBase, end: number): void {
    const r = this.r;
    const stop = r.lengthEnd(end);
    let time = '0';
    let value = 'null';
    let traceId = '';
    let spanId = '';
    let attributes = '{}';
    while (r.pos < stop) {
      const tagPos = r.pos;
      const tag = r.varint32();
      switch (tag) {
        case 0x11:
          r.fixed64();
          time = uint64Decimal(r.lo, r.hi);
          break;
        case 0x19:
          value = doubleJson(r.double());
          break;
        case 0x31:
          r.fixed64();
          value = int64Decimal(r.lo, r.hi);
          break;
        case 0x22:
        case 0x2a: {
          const idEnd = r.lengthEnd(stop);
          const hex = hexOf(r.buf, r.pos, idEnd);
          if (tag === 0x22) spanId = hex;
          else traceId = hex;
          r.pos = idEnd;
          break;
        }
        case 0x3a:
          // Same promotion key as points: the run cache is shared and keeps the promoted value.
          attributes = mergeObjects(attributes, this.attrs.run(tagPos, tag, stop, 'symbol', true));
          break;
        default:
          r.skip(tag);
      }
    }
    r.expectEnd(stop);
    const text = exemplarJson(time, value, traceId, spanId, attributes);
    p.exemplars = p.exemplars === null ? `[${text}` : `${p.exemplars},${text}`;
  }
}

const NUMBER_LAYOUT: PointLayout = {
  attributes: 0x3a,
  exemplars: 0x2a,
  flags: 0x40,
  field: ProtobufMetricsDecoder.prototype.numberField,
};
const LAYOUTS: Record<number, PointLayout> = {
  [T.gauge]: NUMBER_LAYOUT,
  [T.sum]: NUMBER_LAYOUT,
  [T.histogram]: {
    attributes: 0x4a,
    exemplars: 0x42,
    flags: 0x50,
    field: ProtobufMetricsDecoder.prototype.histogramField,
  },
  [T.expHistogram]: {
    attributes: 0x0a,
    exemplars: 0x5a,
    flags: 0x50,
    field: ProtobufMetricsDecoder.prototype.expHistogramField,
  },
  // Summaries have no exemplars (-1 matches no tag).
  [T.summary]: {
    attributes: 0x3a,
    exemplars: -1,
    flags: 0x40,
    field: ProtobufMetricsDecoder.prototype.summaryField,
  },
};

function zigzag(n: number): number {
  return (n >>> 1) ^ -(n & 1);
}
