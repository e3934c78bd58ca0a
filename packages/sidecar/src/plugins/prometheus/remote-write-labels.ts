import { encodeResource, encodeScope, type SeriesContext } from '@duckside/core/ingest';
import type { WireReader } from '../../otlp/wire-reader.ts';
import { type WireString, WireStringTable } from '../../otlp/wire-string-table.ts';
import { MalformedBodyError } from '../../plugin-api/errors.ts';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The scope of every series written through remote_write (`scope->>'name'` tells them from OTLP series).
 * @example SELECT count(*) FROM metric_series WHERE scope->>'name' = 'prometheus.remote_write'
 */
export const REMOTE_WRITE_SCOPE = encodeScope({
  name: 'prometheus.remote_write',
  version: '',
  attributes: {},
  droppedAttributesCount: 0,
  schemaUrl: '',
});

/** A Prometheus label set as Duckside stores it. */
export interface MappedSeries {
  /** Metric name, service (`job`), resource (`instance` too) and scope. */
  context: SeriesContext;
  /** The other labels, `symbol` included, as typed JSON text (all strings). */
  attributes: string;
  /** The `symbol` label, or null. */
  symbol: string | null;
  /** Whether it is stored as a counter (a monotonic cumulative sum), as of metadata version `typedAt`. */
  counter: boolean;
  typedAt: number;
  /** Newest sample time committed (ms, 0 before any): samples at or before it are dropped as resent. */
  committedMs: number;
  /** Newest sample time taken from the request being decoded, the one marked `requestMark`. */
  requestMs: number;
  requestMark: number;
}

/** Most distinct metric name, job and instance combinations kept (past it the map starts over). */
const MAX_CONTEXTS = 100_000;

/**
 * One series context object per metric name, job and instance, kept across requests: label sets that share
 * them share the object, so core's series lookup finds its scope by identity instead of building the key.
 * @example const contexts = new SeriesContexts(); contexts.get('up', 'node', 'host:9100').resource
 */
export class SeriesContexts {
  private contexts = new Map<string, SeriesContext>();
  private readonly resources = new Map<string, string>();

  /** The context of a metric name with its `job` and `instance` (null when absent). */
  get(name: string, job: string | null, instance: string | null): SeriesContext {
    const key = JSON.stringify([name, job, instance]);
    let context = this.contexts.get(key);
    if (context === undefined) {
      if (this.contexts.size >= MAX_CONTEXTS) {
        this.contexts = new Map();
        this.resources.clear();
      }
      context = {
        name,
        unit: '',
        description: '',
        service: job,
        resource: this.resource(job, instance),
        scope: REMOTE_WRITE_SCOPE,
      };
      this.contexts.set(key, context);
    }
    return context;
  }

  private resource(job: string | null, instance: string | null): string {
    const key = JSON.stringify([job, instance]);
    let text = this.resources.get(key);
    if (text === undefined) {
      const attributes: Record<string, string> = {};
      if (job !== null) attributes['service.name'] = job;
      if (instance !== null) attributes['service.instance.id'] = instance;
      text = encodeResource({ attributes, droppedAttributesCount: 0, schemaUrl: '' });
      this.resources.set(key, text);
    }
    return text;
  }
}

/**
 * Maps the labels of one remote_write `TimeSeries` to Duckside's series fields, as the inverse of
 * `@duckside/promql`'s name mapping (so PromQL reads back the same label set): `__name__` is the metric name
 * (unit ''), `job` is resource `service.name` (and `service`), `instance` resource `service.instance.id`, every
 * other label a string point attribute (`symbol` also promoted to its column); empty values are absent labels.
 * Refuses what remote_write 1.0 forbids: no `__name__`, invalid names, repeated or unsorted label names.
 * @example
 * const labels = new RemoteWriteLabels(reader, contexts);
 * const series = labels.map(labelRanges, count); // { context: { name: 'up', service: 'node', ... }, ... }
 */
export class RemoteWriteLabels {
  private readonly strings: WireStringTable;

  constructor(
    r: WireReader,
    private readonly contexts: SeriesContexts,
  ) {
    this.strings = new WireStringTable(r);
  }

  /**
   * Maps the `Label` messages whose name and value byte ranges are in `ranges` (`[nameStart, nameEnd,
   * valueStart, valueEnd]` per label, `count` labels).
   * @throws MalformedBodyError for a label set remote_write 1.0 forbids.
   */
  map(ranges: Int32Array | number[], count: number): MappedSeries {
    let name: string | null = null;
    let job: string | null = null;
    let instance: string | null = null;
    let symbol: string | null = null;
    let attributes = '{';
    let previous = '';
    for (let i = 0; i < count; i++) {
      const j = i * 4;
      const key = this.strings.get(ranges[j] as number, ranges[j + 1] as number);
      const k = key.raw;
      if (i > 0 && !(previous < k)) throw this.badOrder(ranges, count, previous, k);
      previous = k;
      if (!LABEL_NAME.test(k)) throw this.refuse(ranges, count, `invalid label name ${JSON.stringify(k)}`);
      const value = this.strings.get(ranges[j + 2] as number, ranges[j + 3] as number);
      if (value.raw === '') continue;
      if (k === '__name__') {
        if (!METRIC_NAME.test(value.raw))
          throw this.refuse(ranges, count, `invalid metric name ${value.quoted}`);
        name = value.raw;
      } else if (k === 'job') job = value.raw;
      else if (k === 'instance') instance = value.raw;
      else {
        if (k === 'symbol') symbol = value.raw;
        attributes += (attributes.length === 1 ? '' : ',') + this.strings.keyPrefix(key) + value.quoted;
      }
    }
    if (name === null) throw this.refuse(ranges, count, 'a time series has no __name__ label');
    return {
      context: this.contexts.get(name, job, instance),
      attributes: `${attributes}}`,
      symbol,
      counter: false,
      typedAt: -1,
      committedMs: 0,
      requestMs: 0,
      requestMark: 0,
    };
  }

  private badOrder(ranges: Int32Array | number[], count: number, previous: string, k: string) {
    const what =
      previous === k
        ? `label name ${JSON.stringify(k)} is repeated`
        : `labels are not sorted by name (${JSON.stringify(k)} after ${JSON.stringify(previous)})`;
    return this.refuse(ranges, count, what);
  }

  private refuse(ranges: Int32Array | number[], count: number, what: string): MalformedBodyError {
    const labels: string[] = [];
    for (let i = 0; i < count; i++) {
      const j = i * 4;
      const key: WireString = this.strings.get(ranges[j] as number, ranges[j + 1] as number);
      const value = this.strings.get(ranges[j + 2] as number, ranges[j + 3] as number);
      labels.push(`${key.raw}=${value.quoted}`);
    }
    return new MalformedBodyError(`${what}: {${labels.join(', ')}}`);
  }
}
