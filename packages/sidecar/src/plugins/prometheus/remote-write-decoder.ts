import { type MetricBatch, Temporality } from '@duckside/core/ingest';
import { PointSink } from '../../otlp/point-sink.ts';
import { WireReader } from '../../otlp/wire-reader.ts';
import { MalformedBodyError } from '../../plugin-api/errors.ts';
import type { MetricMetadataStore } from './metric-metadata.ts';
import { type MappedSeries, RemoteWriteLabels } from './remote-write-labels.ts';
import type { RemoteWriteSeriesCache } from './remote-write-series-cache.ts';

/** Tags (field number << 3 | wire type) of `prometheus.WriteRequest` and its messages. */
const T = {
  /** WriteRequest.timeseries, TimeSeries.labels, Label.name */
  len1: 0x0a,
  /** TimeSeries.samples, Label.value, MetricMetadata.metric_family_name */
  len2: 0x12,
  /** WriteRequest.metadata, TimeSeries.exemplars */
  len3: 0x1a,
  /** TimeSeries.histograms (native histograms), MetricMetadata.help */
  len4: 0x22,
  /** MetricMetadata.unit */
  len5: 0x2a,
  /** MetricMetadata.type */
  varint1: 0x08,
  /** Sample.value (double) */
  fixed1: 0x09,
  /** Sample.timestamp (int64 ms) */
  varint2: 0x10,
} as const;

/** Prometheus' staleness marker, `value.StaleNaN` (0x7ff0000000000002), as two 32-bit words. */
const STALE_HI = 0x7ff00000;
const STALE_LO = 0x00000002;
/** Latest storable sample time: micros must stay a safe integer (year 2255). */
const MAX_MS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

/** What the decoder keeps across requests: the metric metadata senders sent, and the label sets seen. */
export interface RemoteWriteState {
  metadata: MetricMetadataStore;
  series: RemoteWriteSeriesCache;
}

let lastRequestMark = 0;

/** A decoded `WriteRequest`: the samples as a metric batch, and what was not stored. */
export interface DecodedWriteRequest {
  /** The samples, ready for `db.writeMetricBatch` (its `size` is the sample count). */
  batch: MetricBatch;
  /** Time series with at least one sample. */
  series: number;
  /** `MetricMetadata` entries recorded into the metadata store. */
  metadata: number;
  /** Exemplars received and not stored. */
  exemplars: number;
  /** Samples left out: not newer than the series' newest sample (resent by a retry, or out of order). */
  dropped: number;
  /** Records each series' newest sample time as committed: call once the batch is. */
  committed(): void;
}

/**
 * Decodes a remote_write 1.0 `prometheus.WriteRequest` (already snappy-decompressed) straight into a
 * `MetricBatch` with the wire reader: no message objects, one scratch point, label sets mapped once per time
 * series and remembered by their bytes across requests (`state.series`). Metadata is recorded first, so it types the samples of the same request: a series whose name ends
 * in `_total` is a monotonic cumulative sum unless its family is known as another type; every other series
 * (gauges, classic histogram and summary series `_bucket`/`_sum`/`_count`/`{quantile}`) is a gauge, so that
 * its Prometheus name maps back unchanged. Staleness markers become NaN points with flag 1 ("no recorded
 * value"), which PromQL reads as staleness. Within each series only samples newer than its newest one (committed or
 * earlier in the request) are kept: a batch resent after a lost answer stores nothing twice, and every series
 * stays in time order as Prometheus' TSDB keeps it.
 * @throws MalformedBodyError for invalid protobuf, a label set remote_write forbids, native histograms, or a
 * sample time outside 1970..2255 (the whole request is refused: nothing of it is stored).
 * @example
 * const state = { metadata: new MetricMetadataStore(), series: new RemoteWriteSeriesCache(new SeriesContexts()) };
 * const { batch } = decodeWriteRequest(uncompressSnappyBlock(body, limit), state);
 * await db.writeMetricBatch(batch);
 */
export function decodeWriteRequest(bytes: Uint8Array, state: RemoteWriteState): DecodedWriteRequest {
  return new WriteRequestDecoder(bytes, state).decode();
}

class WriteRequestDecoder {
  private readonly r: WireReader;
  private readonly labels: RemoteWriteLabels;
  private readonly metadata: MetricMetadataStore;
  private readonly cache: RemoteWriteSeriesCache;
  private readonly sink = new PointSink();
  /** `[nameStart, nameEnd, valueStart, valueEnd]` per label of the current series. */
  private ranges = new Int32Array(4 * 64);
  private series = 0;
  private metadataCount = 0;
  private exemplars = 0;
  private dropped = 0;
  private readonly mark = ++lastRequestMark;
  /** The series of this request, for {@link DecodedWriteRequest.committed}. */
  private readonly touched: MappedSeries[] = [];

  constructor(bytes: Uint8Array, state: RemoteWriteState) {
    this.r = new WireReader(bytes);
    this.metadata = state.metadata;
    this.cache = state.series;
    this.labels = new RemoteWriteLabels(this.r, state.series.contexts);
    this.sink.resetBase(this.sink.scalar);
    this.sink.scalar.valueInt = null;
  }

  decode(): DecodedWriteRequest {
    const r = this.r;
    const end = r.length;
    // Metadata first (senders put it after the series, or in requests of its own).
    while (r.pos < end) {
      const tag = r.varint32();
      if (tag === T.len3) {
        const stop = r.lengthEnd(end);
        this.metricMetadata(stop);
      } else r.skip(tag);
    }
    r.pos = 0;
    while (r.pos < end) {
      const tag = r.varint32();
      if (tag === T.len1) {
        const stop = r.lengthEnd(end);
        this.timeSeries(r.pos, stop);
        r.pos = stop;
      } else r.skip(tag);
    }
    // Taken now: another request may decode the same series before this one is committed.
    const touched = this.touched;
    const newest = touched.map((s) => s.requestMs);
    return {
      batch: this.sink.batch,
      series: this.series,
      metadata: this.metadataCount,
      exemplars: this.exemplars,
      dropped: this.dropped,
      committed: () => {
        for (let i = 0; i < touched.length; i++) {
          const s = touched[i] as MappedSeries;
          s.committedMs = Math.max(s.committedMs, newest[i] as number);
        }
      },
    };
  }

  private metricMetadata(stop: number): void {
    const r = this.r;
    let type = 0;
    const text = ['', '', ''];
    while (r.pos < stop) {
      const tag = r.varint32();
      const field = tag === T.len2 ? 0 : tag === T.len4 ? 1 : tag === T.len5 ? 2 : -1;
      if (tag === T.varint1) type = r.varint32();
      else if (field >= 0) {
        const e = r.lengthEnd(stop);
        text[field] = r.text(r.pos, e);
        r.pos = e;
      } else r.skip(tag);
    }
    r.expectEnd(stop);
    const [family, help, unit] = text as [string, string, string];
    if (family === '') return;
    this.metadata.record(family, type, help, unit);
    this.metadataCount++;
  }

  private timeSeries(start: number, stop: number): void {
    const r = this.r;
    const b = r.buf;
    // The first run of consecutive labels (senders write all labels first) keys the series cache.
    let runStart = -1;
    let runEnd = -1;
    let scattered = false;
    let samples = false;
    while (r.pos < stop) {
      const at = r.pos;
      const tag = r.varint32();
      if (tag === T.len1) {
        r.pos = r.lengthEnd(stop);
        if (runStart >= 0) {
          scattered = true;
          continue;
        }
        runStart = at;
        while (r.pos < stop && b[r.pos] === T.len1) {
          r.pos++;
          r.pos = r.lengthEnd(stop);
        }
        runEnd = r.pos;
      } else if (tag === T.len2) {
        samples = true;
        r.pos = r.lengthEnd(stop);
      } else if (tag === T.len3) {
        this.exemplars++;
        r.pos = r.lengthEnd(stop);
      } else if (tag === T.len4) {
        throw new MalformedBodyError(
          'native histograms are not supported by Duckside (remote_write them as classic histograms)',
        );
      } else r.skip(tag);
    }
    r.expectEnd(stop);
    if (!samples) return;
    let series: MappedSeries;
    if (runStart >= 0 && !scattered) {
      const hash = r.hash(runStart, runEnd);
      series =
        this.cache.get(r.view, runStart, runEnd, hash) ??
        this.cache.set(r.buf, runStart, runEnd, hash, this.mapLabels(start, stop));
    } else series = this.mapLabels(start, stop);
    this.begin(series);
    if (series.requestMark !== this.mark) {
      series.requestMark = this.mark;
      series.requestMs = series.committedMs;
      this.touched.push(series);
    }
    r.pos = start;
    while (r.pos < stop) {
      const tag = r.varint32();
      if (tag === T.len2) {
        const e = r.lengthEnd(stop);
        this.sample(e, series);
        r.pos = e;
      } else r.skip(tag);
    }
    this.series++;
  }

  /** Decodes, checks and maps the labels of the series in `[start, stop)`. */
  private mapLabels(start: number, stop: number): MappedSeries {
    const r = this.r;
    r.pos = start;
    let count = 0;
    while (r.pos < stop) {
      const tag = r.varint32();
      if (tag === T.len1) {
        const e = r.lengthEnd(stop);
        this.label(r.pos, e, count++);
        r.pos = e;
      } else r.skip(tag);
    }
    return this.labels.map(this.ranges, count);
  }

  /** Records where the name and value of label `i` are (absent fields are empty ranges). */
  private label(start: number, stop: number, i: number): void {
    const r = this.r;
    if ((i + 1) * 4 > this.ranges.length) {
      const grown = new Int32Array(this.ranges.length * 2);
      grown.set(this.ranges);
      this.ranges = grown;
    }
    const ranges = this.ranges;
    const j = i * 4;
    ranges[j] = ranges[j + 1] = ranges[j + 2] = ranges[j + 3] = start;
    while (r.pos < stop) {
      const tag = r.varint32();
      if (tag === T.len1 || tag === T.len2) {
        const e = r.lengthEnd(stop);
        const at = tag === T.len1 ? j : j + 2;
        ranges[at] = r.pos;
        ranges[at + 1] = e;
        r.pos = e;
      } else r.skip(tag);
    }
    r.expectEnd(stop);
  }

  /** Sets what every sample of a series shares on the scratch point: kind, attributes, symbol. */
  private begin(series: MappedSeries): void {
    if (series.typedAt !== this.metadata.version) {
      const name = series.context.name;
      const type = name.endsWith('_total') ? this.metadata.typeOf(name) : undefined;
      series.counter = name.endsWith('_total') && (type === undefined || type === 'counter');
      series.typedAt = this.metadata.version;
    }
    this.sink.beginMetric(!series.counter, Temporality.Cumulative, true);
    const p = this.sink.scalar;
    p.attributes = series.attributes;
    p.symbol = series.symbol;
  }

  private sample(stop: number, series: MappedSeries): void {
    const r = this.r;
    let ms = 0;
    let value = 0;
    let stale = false;
    while (r.pos < stop) {
      const tag = r.varint32();
      if (tag === T.fixed1) {
        const at = r.pos;
        r.fixed64();
        stale = r.hi === STALE_HI && r.lo === STALE_LO;
        value = r.view.getFloat64(at, true);
      } else if (tag === T.varint2) {
        r.varint64();
        ms = r.safeUint();
      } else r.skip(tag);
    }
    r.expectEnd(stop);
    if (ms < 1 || ms > MAX_MS) {
      throw new MalformedBodyError(
        `sample time out of the storable range (after 1970-01-01, before 2255) in series ${JSON.stringify(series.context.name)}`,
      );
    }
    if (ms <= series.requestMs) {
      this.dropped++;
      return;
    }
    series.requestMs = ms;
    const p = this.sink.scalar;
    p.timeMicros = ms * 1000;
    p.flags = stale ? 1 : 0;
    p.value = stale ? Number.NaN : value;
    this.sink.batch.pushScalar(series.context, p);
  }
}
